package dev.sluice.server.fuzz;

/**
 * Settings shared by the fuzz tests of this package.
 *
 * <p>In plain test runs (no {@code JAZZER_FUZZ}) Jazzer only replays the committed corpus; its bug
 * detector hooks would still instrument every class loaded, which costs about 35 s on this project's
 * 2-core machines for no benefit to these targets (they check their own invariants). So regression
 * runs go without hooks unless {@code jazzer.hooks} is set explicitly; real fuzzing runs keep them.
 * Jazzer reads its settings once per JVM, from JUnit configuration parameters (system properties
 * included), when the first fuzz test starts: every fuzz class calls this from {@code @BeforeAll}.
 */
final class FuzzDefaults {
    private FuzzDefaults() {
    }

    static void regressionRunsWithoutHooks() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if ((fuzz == null || fuzz.isEmpty()) && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }
}
