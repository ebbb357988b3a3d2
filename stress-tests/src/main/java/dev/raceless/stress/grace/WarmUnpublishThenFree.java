package dev.raceless.stress.grace;

import dev.raceless.grace.GraceDomain;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    UnpublishThenFree on the steady-state path of the read side: the reader first runs one empty
    section, so its slot exists and the section under test is a store to an owned slot (ASYMMETRIC:
    a release store and no fence; FENCED: one volatile store) followed by the pointer read. See
    WarmTryAcquireVsShutdown for why a fresh domain per state would test only the first, fenced,
    entry.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t WarmUnpublishThenFree \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes as in UnpublishThenFree: (the reader found the object, the reader saw it freed).
 */
@JCStressTest
@Description("unpublish; synchronize(); free, with the reader on an already-owned slot: never a use-after-free.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Reader first: it used the object; the free waited for its exit.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the reader found no object.")
@Outcome(id = "1, 1", expect = FORBIDDEN,
        desc = "Use-after-free: the free did not wait for a section that held the object.")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class WarmUnpublishThenFree {
    private final GraceDomain domain = new GraceDomain();
    private volatile Node published = new Node();

    @Actor
    public void reader(II_Result r) {
        domain.exit(domain.enter()); // installs this thread's slot
        int t = domain.enter();      // the path under test
        Node n = published;
        if (n != null) {
            r.r1 = 1;
            r.r2 = n.useAndWatch();
        }
        domain.exit(t);
    }

    @Actor
    public void updater() {
        Node n = published;
        published = null;
        domain.synchronize();
        n.free();
    }
}
