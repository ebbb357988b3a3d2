package dev.raceless.stress.torture;

import java.util.List;

/**
 * One torture scenario: a set of threads that hammer one mechanism until {@link Torture#running()}
 * turns false, counting into the shared {@link Torture}. One scenario per file; {@link TortureMain}
 * runs all of them at once.
 */
interface TortureScenario {

    /** A short name, for the thread names and the report. */
    String name();

    /** Starts the scenario's threads (not yet started: the main starts them all together). */
    List<Thread> threads(Torture torture);
}
