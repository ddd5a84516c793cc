package dev.sluice.server.topology;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which servers may serve a read: a mode, an ordered list of tag sets and an optional maximum staleness.
 * {@code hedge} is accepted and ignored (hedged reads are deprecated since MongoDB 8.0).
 *
 * @param mode                the mode
 * @param tagSets             tag sets tried in order; the first that matches any candidate wins. Empty list or
 *                            {@code [{}]} match every server
 * @param maxStalenessSeconds the largest estimated replication lag a secondary may have, empty for no maximum
 */
public record ReadPreference(ReadPreferenceMode mode, List<Map<String, String>> tagSets,
                             OptionalLong maxStalenessSeconds) {

    /** Mode primary, the default when a command has no {@code $readPreference}. */
    public static final ReadPreference PRIMARY = new ReadPreference(ReadPreferenceMode.PRIMARY, List.of(),
            OptionalLong.empty());

    public ReadPreference {
        Objects.requireNonNull(mode, "mode");
        List<Map<String, String>> copy = new ArrayList<>();
        for (Map<String, String> t : tagSets) {
            copy.add(Map.copyOf(t));
        }
        tagSets = List.copyOf(copy);
        maxStalenessSeconds = maxStalenessSeconds == null ? OptionalLong.empty() : maxStalenessSeconds;
        if (mode == ReadPreferenceMode.PRIMARY) {
            if (tagSets.stream().anyMatch(t -> !t.isEmpty())) {
                throw ReadPreferenceException.failedToParse("Only empty tags are allowed with primary read preference");
            }
            if (maxStalenessSeconds.isPresent()) {
                throw ReadPreferenceException.failedToParse("mode primary does not allow for maxStalenessSeconds");
            }
        }
        if (maxStalenessSeconds.isPresent() && maxStalenessSeconds.getAsLong() < SelectionSettings.SMALLEST_MAX_STALENESS_SECONDS) {
            throw ReadPreferenceException.maxStalenessOutOfRange("maxStalenessSeconds value can not be less than "
                    + SelectionSettings.SMALLEST_MAX_STALENESS_SECONDS);
        }
    }

    /**
     * @param mode a mode, without tags or staleness
     * @return the read preference
     */
    public static ReadPreference of(ReadPreferenceMode mode) {
        return new ReadPreference(mode, List.of(), OptionalLong.empty());
    }

    /**
     * Parses the value of a command's {@code $readPreference}: {@code {mode, tags, maxStalenessSeconds, hedge}}.
     * Checks what mongos checks, with its codes: an unknown mode, tags that are not documents of strings, tags or
     * maxStalenessSeconds with mode primary (FailedToParse); a negative or fractional maxStalenessSeconds
     * (BadValue); a maxStalenessSeconds under 90 (MaxStalenessOutOfRange). A missing mode means primary;
     * {@code maxStalenessSeconds: 0} means no maximum.
     *
     * @param value the {@code $readPreference} value
     * @return the read preference
     * @throws ReadPreferenceException as mongos would answer
     */
    public static ReadPreference parse(BsonValue value) {
        if (value == null || !value.isDocument()) {
            throw ReadPreferenceException.failedToParse("$readPreference must be an object, not "
                    + (value == null ? "missing" : value.getBsonType()));
        }
        BsonDocument doc = value.asDocument();
        ReadPreferenceMode mode = ReadPreferenceMode.PRIMARY;
        BsonValue m = doc.get("mode");
        if (m != null) {
            if (!m.isString()) {
                throw ReadPreferenceException.failedToParse("$readPreference.mode must be a string, not " + m.getBsonType());
            }
            mode = ReadPreferenceMode.fromWireName(m.asString().getValue());
            if (mode == null) {
                throw ReadPreferenceException.failedToParse("Could not parse $readPreference mode '"
                        + m.asString().getValue() + "'. Only the modes 'primary', 'primaryPreferred', 'secondary', "
                        + "'secondaryPreferred', and 'nearest' are supported.");
            }
        }
        return new ReadPreference(mode, tagSets(doc.get("tags")), maxStaleness(doc.get("maxStalenessSeconds")));
    }

    private static List<Map<String, String>> tagSets(BsonValue tags) {
        if (tags == null) {
            return List.of();
        }
        if (!tags.isArray()) {
            throw ReadPreferenceException.failedToParse("$readPreference.tags must be an array of documents, not "
                    + tags.getBsonType());
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (BsonValue set : tags.asArray()) {
            if (!set.isDocument()) {
                throw ReadPreferenceException.failedToParse("$readPreference.tags must hold documents, not "
                        + set.getBsonType());
            }
            Map<String, String> tagSet = new LinkedHashMap<>();
            for (Map.Entry<String, BsonValue> e : set.asDocument().entrySet()) {
                if (!e.getValue().isString()) {
                    throw ReadPreferenceException.failedToParse("$readPreference tag '" + e.getKey()
                            + "' must be a string, not " + e.getValue().getBsonType());
                }
                tagSet.put(e.getKey(), e.getValue().asString().getValue());
            }
            out.add(tagSet);
        }
        return out;
    }

    private static OptionalLong maxStaleness(BsonValue v) {
        if (v == null) {
            return OptionalLong.empty();
        }
        if (!v.isNumber()) {
            throw ReadPreferenceException.failedToParse("$readPreference.maxStalenessSeconds must be a number, not "
                    + v.getBsonType());
        }
        double seconds = v.asNumber().doubleValue();
        if (seconds < 0 || seconds != Math.rint(seconds) || Double.isInfinite(seconds)) {
            throw ReadPreferenceException.badValue("maxStalenessSeconds must be a non-negative integer, not " + seconds);
        }
        return seconds == 0 ? OptionalLong.empty() : OptionalLong.of((long) seconds);
    }
}
