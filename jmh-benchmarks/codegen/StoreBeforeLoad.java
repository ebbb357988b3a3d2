import dev.raceless.grace.GraceDomain;
import dev.raceless.refcount.UseCount;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The driver of store-before-load.sh: runs each read-side path hot enough for C2 to compile it as
 * a method of its own ({@code *Path}), and prints the field offsets the script looks for in the
 * compiled code ("offset CLASS.FIELD N"). Not part of any build: the script compiles it.
 *
 * <p>Paths: the up of UseCount (plain and Local) followed by its state read, inside tryAcquire;
 * the entry of GraceDomain (plain and Local) followed by the reader's read of the pointer it
 * protects; and two replicas of the UseCount path with their own fields, one with the library's
 * access (a release store) and one BROKEN on purpose (a plain store), which the check must catch.
 */
public final class StoreBeforeLoad {
    static int sink;

    static boolean useCountPath(UseCount c) {
        return c.tryAcquire();
    }

    static boolean useCountLocalPath(UseCount.Local l) {
        return l.tryAcquire();
    }

    static int graceDomainPath(GraceDomain d, Pointer p) {
        int t = d.enter();
        return p.published == 0L ? ~t : t; // the reader's pointer read after its entry
    }

    static int graceDomainLocalPath(GraceDomain.Local l, Pointer p) {
        int t = l.enter();
        return p.published == 0L ? ~t : t;
    }

    /** The pointer a grace domain protects: a long, put at an offset no library field of the path uses. */
    static final class Pointer {
        int q;
        long p0;
        long p1;
        long p2;
        long p3;
        long p4;
        long p5;
        long p6;
        volatile long published = 1L;
    }

    static boolean replicaPath(Replica r) {
        UP.setRelease(r, r.up + 1); // the library's access
        return r.state == 0;
    }

    static boolean brokenReplicaPath(Replica r) {
        r.up = r.up + 1; // BROKEN on purpose: a plain store, which C2 may sink below the load
        return r.state == 0;
    }

    /** A slot and a state word of its own (fields named apart from the library's). */
    static final class Replica {
        long up;
        long down;
        volatile long state;
    }

    public static void main(String[] args) {
        String which = args[0];
        UseCount c = new UseCount();
        UseCount.Local cl = c.local();
        GraceDomain d = new GraceDomain();
        GraceDomain.Local dl = d.local();
        Replica r = new Replica();
        Pointer p = new Pointer();
        offsets();
        for (int i = 0; i < 200_000; i++) {
            switch (which) {
                case "useCount":
                    if (useCountPath(c)) {
                        c.release();
                    }
                    break;
                case "useCountLocal":
                    if (useCountLocalPath(cl)) {
                        cl.release();
                    }
                    break;
                case "graceDomain":
                    d.exit(graceDomainPath(d, p));
                    break;
                case "graceDomainLocal":
                    dl.exit(graceDomainLocalPath(dl, p));
                    break;
                case "replica":
                    sink += replicaPath(r) ? 1 : 0;
                    break;
                case "brokenReplica":
                    sink += brokenReplicaPath(r) ? 1 : 0;
                    break;
                default:
                    throw new IllegalArgumentException(which);
            }
        }
        System.out.println("readside " + dev.raceless.refcount.ReadSide.active() + " sink " + sink);
    }

    private static void offsets() {
        try {
            print(Class.forName("dev.raceless.internal.ReaderCounts$Slot"));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        print(UseCount.class);
        print(Replica.class);
        print(Pointer.class);
    }

    private static void print(Class<?> k) {
        for (FieldLayout f : ClassLayout.parseClass(k).fields()) {
            System.out.println("offset " + f.hostClass() + "." + f.name() + " " + f.offset());
        }
    }

    private static final VarHandle UP;

    static {
        try {
            UP = MethodHandles.lookup().findVarHandle(Replica.class, "up", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
