package dev.raceless.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test support: plugin jars that leak their class loader on purpose, one way each, built at test
 * time with {@link PluginJars}. Each plugin's service constructor leaks; its public static
 * {@code cleanUp()} undoes the leak, so a test can check that the loader is then collected.
 */
final class LeakingPlugins {
    private LeakingPlugins() {
    }

    /** The leak of each kind: statements for the constructor and for cleanUp(), and extra classes. */
    private static final Map<LeakFinding.Kind, String[]> LEAKS = Map.of(
            LeakFinding.Kind.THREAD, new String[] {
                    "Thread t = new Thread(() -> { while (true) { try { Thread.sleep(1_000_000L); } "
                            + "catch (InterruptedException e) { return; } } }, \"leaky-poller\");"
                            + " t.setDaemon(true); t.start(); leaked = t;",
                    "((Thread) leaked).interrupt(); ((Thread) leaked).join();"},
            LeakFinding.Kind.CONTEXT_CLASS_LOADER, new String[] {
                    "java.util.concurrent.ExecutorService ex ="
                            + " java.util.concurrent.Executors.newFixedThreadPool(1, r -> {"
                            + " Thread t = new Thread(r, \"leaky-executor\"); t.setDaemon(true); return t; });"
                            + " ex.submit(() -> { }); leaked = ex;",
                    "((java.util.concurrent.ExecutorService) leaked).shutdownNow();"
                            + " ((java.util.concurrent.ExecutorService) leaked).awaitTermination(1,"
                            + " java.util.concurrent.TimeUnit.MINUTES);"},
            LeakFinding.Kind.TIMER, new String[] {
                    "java.util.Timer timer = new java.util.Timer(\"leaky-timer\", true);"
                            + " timer.schedule(new java.util.TimerTask() { public void run() { } }, 1_000_000_000L);"
                            + " leaked = timer;",
                    "((java.util.Timer) leaked).cancel();"},
            LeakFinding.Kind.JDBC_DRIVER, new String[] {
                    "java.sql.DriverManager.registerDriver(new LeakyDriver()); leaked = null;",
                    "java.util.List<java.sql.Driver> mine = new java.util.ArrayList<>();"
                            + " java.sql.DriverManager.drivers().filter(d -> d instanceof LeakyDriver)"
                            + ".forEach(mine::add);"
                            + " for (java.sql.Driver d : mine) java.sql.DriverManager.deregisterDriver(d);"},
            LeakFinding.Kind.LOGGING, new String[] {
                    "java.util.logging.Handler h = new java.util.logging.Handler() {"
                            + " public void publish(java.util.logging.LogRecord r) { }"
                            + " public void flush() { } public void close() { } };"
                            + " java.util.logging.Logger.getLogger(\"\").addHandler(h); leaked = h;",
                    "java.util.logging.Logger.getLogger(\"\").removeHandler((java.util.logging.Handler) leaked);"},
            LeakFinding.Kind.MBEAN, new String[] {
                    "java.lang.management.ManagementFactory.getPlatformMBeanServer().registerMBean(new Leaky(),"
                            + " new javax.management.ObjectName(\"leaky:type=Leaky\")); leaked = null;",
                    "java.lang.management.ManagementFactory.getPlatformMBeanServer()"
                            + ".unregisterMBean(new javax.management.ObjectName(\"leaky:type=Leaky\"));"});

    private static final String DRIVER = String.join("\n",
            "package testplugin;",
            "public final class LeakyDriver implements java.sql.Driver {",
            "    public java.sql.Connection connect(String url, java.util.Properties p) { return null; }",
            "    public boolean acceptsURL(String url) { return url.startsWith(\"jdbc:leaky:\"); }",
            "    public java.sql.DriverPropertyInfo[] getPropertyInfo(String url, java.util.Properties p) {",
            "        return new java.sql.DriverPropertyInfo[0]; }",
            "    public int getMajorVersion() { return 1; }",
            "    public int getMinorVersion() { return 0; }",
            "    public boolean jdbcCompliant() { return false; }",
            "    public java.util.logging.Logger getParentLogger() { return java.util.logging.Logger.getGlobal(); }",
            "}", "");

    /** Builds {@code dir/<name>.jar}, a plugin in package {@code pkg} that leaks one way. */
    static Path build(Path dir, String name, String pkg, LeakFinding.Kind kind) throws IOException {
        String[] leak = LEAKS.get(kind);
        String greeter = String.join("\n",
                "package testplugin;",
                "public final class Greeter implements dev.raceless.loader.PluginService {",
                "    static volatile Object leaked;",
                "    public Greeter() throws Exception { " + leak[0] + " }",
                "    public String greet(String who) { return \"leaky \" + who + \" 1\"; }",
                "    public static void cleanUp() throws Exception { " + leak[1] + " leaked = null; }",
                "}", "");
        Map<String, String> extra = new java.util.HashMap<>();
        extra.put("Greeter", greeter);
        if (kind == LeakFinding.Kind.JDBC_DRIVER) {
            extra.put("LeakyDriver", DRIVER);
        }
        if (kind == LeakFinding.Kind.MBEAN) {
            extra.put("LeakyMBean", "package testplugin;\npublic interface LeakyMBean { int getAnswer(); }\n");
            extra.put("Leaky", "package testplugin;\n"
                    + "public final class Leaky implements LeakyMBean { public int getAnswer() { return 42; } }\n");
        }
        return PluginJars.build(dir.resolve(name + ".jar"), pkg, "leaky", "1", true, extra);
    }
}
