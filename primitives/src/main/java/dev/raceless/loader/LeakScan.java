package dev.raceless.loader;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks for the usual holders of an unloaded plugin's class loader, as Tomcat's web-application
 * class loader does at undeploy: threads running its code or holding it as context class loader,
 * {@code java.util.Timer} threads, JDBC drivers, {@code java.util.logging} handlers, levels and
 * filters, and platform MBeans.
 */
final class LeakScan {
    /*
     * Implementation notes.
     *
     * java.sql, java.logging and java.management are optional here: module dev.raceless requires
     * only java.base, so they are reached by core reflection (which assumes readability) and a
     * module that is not in the boot layer is simply not scanned.
     *
     * JDBC: DriverManager.drivers() lists only drivers the *caller's* class loader can see, so a
     * call from this class never lists a plugin's driver. A method handle of a caller-sensitive
     * method is bound to its lookup class, so the handle is looked up with
     * privateLookupIn(a class of the plugin): the caller is then the plugin, as in Tomcat's
     * JdbcLeakPrevention, which it loads into the web application's loader for the same reason.
     * The plugin's unnamed module opens every package; this module first reads it and java.sql
 * (the teleported lookup keeps this class as previous lookup class, and both must read the target).
     *
     * Threads: a frame's StackTraceElement names its class loader; plugin class loaders have
     * unique names (plugin-<name>#<generation>), so a frame from this very plugin instance is
     * recognised without holding anything.
     *
     * The scan runs only when a retired loader was not collected in time, never on the hot path.
     */

    private LeakScan() {
    }

    /** Everything found that refers to {@code loader}; {@code probe} is a class the loader defined. */
    static List<LeakFinding> scan(String plugin, ClassLoader loader, Class<?> probe) {
        List<LeakFinding> found = new ArrayList<>();
        threads(plugin, loader, found);
        jdbc(plugin, loader, probe, found);
        lookIfPresent("java.util.logging.LogManager", c -> logging(c, plugin, loader, found));
        lookIfPresent("java.lang.management.ManagementFactory", c -> mbeans(c, plugin, loader, found));
        return found;
    }

    private static String describe(Thread t) {
        return "thread \"" + t.getName() + "\" (id " + t.getId() + (t.isDaemon() ? ", daemon" : "") + ")";
    }

    private static void threads(String plugin, ClassLoader loader, List<LeakFinding> found) {
        String loaderName = loader.getName();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (!t.isAlive() || t == Thread.currentThread()) {
                continue;
            }
            StackTraceElement pluginFrame = null;
            for (StackTraceElement f : e.getValue()) {
                if (loaderName != null && loaderName.equals(f.getClassLoaderName())) {
                    pluginFrame = f;
                    break;
                }
            }
            if (t.getClass().getClassLoader() == loader || pluginFrame != null) {
                found.add(new LeakFinding(LeakFinding.Kind.THREAD, plugin, describe(t)
                        + (pluginFrame != null ? " runs plugin code at " + pluginFrame
                                : " is a plugin class " + t.getClass().getName()),
                        "stop the thread and wait for it (join) in destroy"));
            } else if (t.getContextClassLoader() == loader) {
                boolean timer = t.getClass().getName().equals("java.util.TimerThread");
                found.add(new LeakFinding(timer ? LeakFinding.Kind.TIMER : LeakFinding.Kind.CONTEXT_CLASS_LOADER,
                        plugin, describe(t) + " has the plugin's class loader as context class loader",
                        timer ? "cancel the Timer in destroy"
                                : "shut down the thread (or its executor) the plugin started"));
            }
        }
    }

    private static void jdbc(String plugin, ClassLoader loader, Class<?> probe, List<LeakFinding> found) {
        if (probe == null || optional("java.sql.DriverManager") == null) {
            return;
        }
        try {
            for (Object d : (Object[]) driverProbe(loader, probe).getMethod("drivers").invoke(null)) {
                if (d.getClass().getClassLoader() == loader) {
                    found.add(new LeakFinding(LeakFinding.Kind.JDBC_DRIVER, plugin,
                            "JDBC driver " + d.getClass().getName() + " registered with DriverManager",
                            "call DriverManager.deregisterDriver in destroy"));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // could not look: not a finding
        }
    }

    /**
     * The class {@code <probe's package>.RacelessDriverProbe} in the plugin's loader, defined on
     * first use: {@code public static Object[] drivers() { return DriverManager.drivers().toArray(); }},
     * so that DriverManager sees the plugin as its caller (see the notes).
     */
    private static Class<?> driverProbe(ClassLoader loader, Class<?> probe) throws ReflectiveOperationException {
        String pkg = probe.getPackageName();
        String name = (pkg.isEmpty() ? "" : pkg + ".") + "RacelessDriverProbe";
        synchronized (LeakScan.class) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException notYet) {
                LeakScan.class.getModule().addReads(probe.getModule());
                MethodHandles.Lookup inPlugin = MethodHandles.privateLookupIn(probe, MethodHandles.lookup());
                return inPlugin.defineClass(driverProbeBytes(name.replace('.', '/')));
            }
        }
    }

    /** The class file of the driver probe, assembled by hand (class file version 52: no stack map needed). */
    private static byte[] driverProbeBytes(String internalName) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(52);
            out.writeShort(18); // constant pool count: entries 1..17
            utf8(out, internalName);                       // 1
            out.writeByte(7); out.writeShort(1);           // 2 Class this
            utf8(out, "java/lang/Object");                 // 3
            out.writeByte(7); out.writeShort(3);           // 4 Class super
            utf8(out, "drivers");                          // 5
            utf8(out, "()[Ljava/lang/Object;");            // 6
            utf8(out, "Code");                             // 7
            utf8(out, "java/sql/DriverManager");           // 8
            out.writeByte(7); out.writeShort(8);           // 9 Class DriverManager
            utf8(out, "()Ljava/util/stream/Stream;");      // 10
            out.writeByte(12); out.writeShort(5); out.writeShort(10);  // 11 NameAndType drivers
            out.writeByte(10); out.writeShort(9); out.writeShort(11);  // 12 Methodref DriverManager.drivers
            utf8(out, "java/util/stream/Stream");          // 13
            out.writeByte(7); out.writeShort(13);          // 14 Class Stream
            utf8(out, "toArray");                          // 15
            out.writeByte(12); out.writeShort(15); out.writeShort(6);  // 16 NameAndType toArray
            out.writeByte(11); out.writeShort(14); out.writeShort(16); // 17 InterfaceMethodref Stream.toArray
            out.writeShort(0x0031); // public final super
            out.writeShort(2);
            out.writeShort(4);
            out.writeShort(0); // interfaces
            out.writeShort(0); // fields
            out.writeShort(1); // methods
            out.writeShort(0x0009); // public static
            out.writeShort(5);
            out.writeShort(6);
            out.writeShort(1); // attributes: Code
            out.writeShort(7);
            out.writeInt(21);
            out.writeShort(1); // max stack
            out.writeShort(0); // max locals
            out.writeInt(9);
            out.write(new byte[] {(byte) 0xb8, 0, 12, (byte) 0xb9, 0, 17, 1, 0, (byte) 0xb0});
            out.writeShort(0); // exception table
            out.writeShort(0); // code attributes
            out.writeShort(0); // class attributes
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void utf8(java.io.DataOutputStream out, String s) throws java.io.IOException {
        out.writeByte(1);
        out.writeUTF(s);
    }

    private static void logging(Class<?> logManager, String plugin, ClassLoader loader, List<LeakFinding> found)
            throws ReflectiveOperationException {
        Object manager = logManager.getMethod("getLogManager").invoke(null);
        Method getLogger = logManager.getMethod("getLogger", String.class);
        Class<?> loggerType = Class.forName("java.util.logging.Logger");
        Method handlers = loggerType.getMethod("getHandlers");
        Method level = loggerType.getMethod("getLevel");
        Method filter = loggerType.getMethod("getFilter");
        Enumeration<?> names = (Enumeration<?>) logManager.getMethod("getLoggerNames").invoke(manager);
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            Object logger = getLogger.invoke(manager, name);
            if (logger == null) {
                continue;
            }
            String where = "logger \"" + name + "\"";
            for (Object h : (Object[]) handlers.invoke(logger)) {
                if (h.getClass().getClassLoader() == loader) {
                    found.add(new LeakFinding(LeakFinding.Kind.LOGGING, plugin,
                            "handler " + h.getClass().getName() + " on " + where,
                            "remove the handler (Logger.removeHandler) in destroy"));
                }
            }
            Object l = level.invoke(logger);
            if (l != null && l.getClass().getClassLoader() == loader) {
                found.add(new LeakFinding(LeakFinding.Kind.LOGGING, plugin,
                        "level " + l + " (" + l.getClass().getName() + ") on " + where,
                        "reset the level (Logger.setLevel(null)) in destroy"));
            }
            Object f = filter.invoke(logger);
            if (f != null && f.getClass().getClassLoader() == loader) {
                found.add(new LeakFinding(LeakFinding.Kind.LOGGING, plugin,
                        "filter " + f.getClass().getName() + " on " + where,
                        "remove the filter (Logger.setFilter(null)) in destroy"));
            }
        }
    }

    private static void mbeans(Class<?> factory, String plugin, ClassLoader loader, List<LeakFinding> found)
            throws ReflectiveOperationException {
        Object server = factory.getMethod("getPlatformMBeanServer").invoke(null);
        Class<?> serverType = Class.forName("javax.management.MBeanServer");
        Class<?> objectName = Class.forName("javax.management.ObjectName");
        Class<?> queryExp = Class.forName("javax.management.QueryExp");
        Method classLoaderFor = serverType.getMethod("getClassLoaderFor", objectName);
        Set<?> names = (Set<?>) serverType.getMethod("queryNames", objectName, queryExp).invoke(server, null, null);
        for (Object n : names) {
            try {
                if (classLoaderFor.invoke(server, n) == loader) {
                    found.add(new LeakFinding(LeakFinding.Kind.MBEAN, plugin, "MBean " + n,
                            "unregister it (MBeanServer.unregisterMBean) in destroy"));
                }
            } catch (ReflectiveOperationException gone) {
                // unregistered while the scan looked
            }
        }
    }

    /** A look through one optional JDK module's registry, given that module's entry class. */
    @FunctionalInterface
    private interface Look {
        void in(Class<?> entry) throws ReflectiveOperationException;
    }

    /** Runs {@code look} if the module of {@code entryClass} is in the boot layer; a failed look finds nothing. */
    private static void lookIfPresent(String entryClass, Look look) {
        Class<?> entry = optional(entryClass);
        if (entry == null) {
            return;
        }
        try {
            look.in(entry);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // could not look: not a finding
        }
    }

    /** A class of an optional JDK module, or null if that module is not in the boot layer. */
    private static Class<?> optional(String name) {
        try {
            return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
