package dev.pouch.client.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where the CPU went during a phase, by process: this JVM (all simulated clients), the server's
 * JVM (with its embedded broker), its PostgreSQL (postmaster and backends), and the machine as a
 * whole from {@code /proc/stat} — whose remainder is everything else running (kernel threads
 * flushing to disk, or a build someone runs at the same time), the busiest of which are named.
 * Linux only; elsewhere the figures are missing.
 */
final class CpuMeter {

    /** Linux reports process times in clock ticks, 100 per second on every common configuration. */
    private static final double TICK = 0.01;

    /** One process's name and CPU seconds so far. */
    record Proc(String name, double seconds) {
    }

    record Sample(long nanos, double bench, double server, double postgres, double[] machine, Map<Long, Proc> all, Set<Long> ours) {
    }

    /** Cores used on average over a phase (1.0 = one core busy all the time). */
    record Usage(double seconds, double bench, double server, double postgres, double machineBusy, double steal, double idle,
            List<String> busiestOthers) {

        double other() {
            double known = bench + (Double.isNaN(server) ? 0 : server) + (Double.isNaN(postgres) ? 0 : postgres);
            return Double.isNaN(machineBusy) ? Double.NaN : Math.max(0, machineBusy - known);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", seconds);
            m.put("benchClientsCores", bench);
            m.put("serverJvmCores", server);
            m.put("postgresCores", postgres);
            m.put("otherProcessesCores", other());
            m.put("busiestOtherProcesses", busiestOthers);
            m.put("machineBusyCores", machineBusy);
            m.put("stealCores", steal);
            m.put("idleCores", idle);
            return m;
        }
    }

    private final Optional<ProcessHandle> server;
    private final Supplier<Optional<ProcessHandle>> postgres;

    /** {@code server} empty when the server is not a process of this machine the bench knows. */
    CpuMeter(Optional<ProcessHandle> server, Supplier<Optional<ProcessHandle>> postgres) {
        this.server = server;
        this.postgres = postgres;
    }

    Sample sample() {
        Set<Long> ours = new HashSet<>();
        ours.add(ProcessHandle.current().pid());
        double bench = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        double srv = server.map(p -> {
            ours.add(p.pid());
            return processSeconds(p.pid(), false);
        }).orElse(Double.NaN);
        double pg = postgres.get().map(p -> {
            ours.add(p.pid());
            return processSeconds(p.pid(), true) + p.descendants().mapToDouble(c -> {
                ours.add(c.pid());
                return processSeconds(c.pid(), false);
            }).sum();
        }).orElse(Double.NaN);
        return new Sample(System.nanoTime(), bench, srv, pg, machine(), allProcesses(), ours);
    }

    static Usage between(Sample a, Sample b) {
        double s = (b.nanos() - a.nanos()) / 1e9;
        double busy = Double.NaN;
        double steal = Double.NaN;
        double idle = Double.NaN;
        if (a.machine().length >= 8 && b.machine().length >= 8) {
            double[] d = new double[8];
            for (int i = 0; i < 8; i++) {
                d[i] = (b.machine()[i] - a.machine()[i]) * TICK;
            }
            busy = (d[0] + d[1] + d[2] + d[5] + d[6]) / s; // user nice system irq softirq
            idle = (d[3] + d[4]) / s;                       // idle iowait
            steal = d[7] / s;
        }
        Map<String, Double> others = new HashMap<>();
        b.all().forEach((pid, p) -> {
            if (!b.ours().contains(pid) && !a.ours().contains(pid)) {
                Proc before = a.all().get(pid);
                // A process that started during the phase spent all its CPU in it; one that ended is missed.
                double spent = before == null ? p.seconds() : p.seconds() - before.seconds();
                others.merge(p.name(), spent / s, Double::sum);
            }
        });
        List<String> busiest = new ArrayList<>();
        others.entrySet().stream().filter(e -> e.getValue() >= 0.02).sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(4).forEach(e -> busiest.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())));
        return new Usage(s, (b.bench() - a.bench()) / s, (b.server() - a.server()) / s, (b.postgres() - a.postgres()) / s,
                busy, steal, idle, busiest);
    }

    /** utime + stime of a process (plus its reaped children's, for a postmaster whose backends come and go). */
    private static double processSeconds(long pid, boolean withReapedChildren) {
        try {
            String[] f = fields(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            double ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withReapedChildren) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return ticks * TICK;
        } catch (IOException | RuntimeException e) {
            return 0; // gone (a backend that exited), or not Linux
        }
    }

    /** The fields after "pid (comm) ": f[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17. */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** Every process's own CPU time, by pid (for naming what else kept the machine busy). */
    private static Map<Long, Proc> allProcesses() {
        Map<Long, Proc> out = new HashMap<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(d -> {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = fields(stat);
                    out.put(Long.parseLong(d.getFileName().toString()),
                            new Proc(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK));
                } catch (IOException | RuntimeException e) {
                    // exited meanwhile
                }
            });
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return out;
    }

    private static double[] machine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = line.trim().split("\\s+");
            double[] v = new double[Math.min(8, f.length - 1)];
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.parseDouble(f[i + 1]);
            }
            return v;
        } catch (IOException | RuntimeException e) {
            return new double[0];
        }
    }
}
