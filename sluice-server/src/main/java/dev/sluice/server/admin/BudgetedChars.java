package dev.sluice.server.admin;

/**
 * The text a filter's {@code $regex} runs over, counting every character the matcher reads against
 * a budget shared by the whole command: java.util.regex backtracks, and a pattern like
 * {@code (a+)+$} can take exponential time; with the budget a bad pattern fails the command
 * (BadValue) instead of holding the admin thread. Not thread-safe: one per command.
 */
final class BudgetedChars {
    private final long limit;
    private long reads;

    BudgetedChars(long limit) {
        this.limit = limit;
    }

    /** {@code text} as a CharSequence whose reads are charged to this budget. */
    CharSequence wrap(String text) {
        return new Charged(text, 0, text.length());
    }

    private void charge() {
        if (++reads > limit) {
            throw CommandFailure.badValue("$regex in the listConnections filter read more than " + limit
                    + " characters (the filter's regex budget); use a simpler pattern");
        }
    }

    private final class Charged implements CharSequence {
        private final String text;
        private final int start;
        private final int end;

        Charged(String text, int start, int end) {
            this.text = text;
            this.start = start;
            this.end = end;
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public char charAt(int index) {
            charge();
            return text.charAt(start + index);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new Charged(text, start + from, start + to);
        }

        @Override
        public String toString() {
            return text.substring(start, end);
        }
    }
}
