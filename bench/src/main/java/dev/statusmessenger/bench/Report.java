package dev.statusmessenger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the load generator's result lines into the table of docs/performance.md (medians over the
 * repetitions, ratios to the peers) and an SVG chart of p99 latency against offered rate.
 * Usage: {@code Report results.txt table.md chart.svg [--check [SCENARIOS]]}; with {@code --check}
 * it fails where any message was lost or a scenario that ran ({@code "s1 s4"}; s1 unless given)
 * left no result (the smoke run's correctness check), never on speed. S4's rows (the cluster) get
 * a table of their own after the goals.
 */
public final class Report {

  private static final List<String> TARGETS = List.of("product", "tyrus", "ws", "product-nofix", "payara-plain");
  private static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#ff9896", "#9467bd"};
  /** The label of rows that measure a plain JSR-356 endpoint on the same Payara Micro. */
  private static final String PLAIN = "a plain JSR-356 endpoint on the same Payara Micro";
  private static final double P99_GOAL_MS = 50;
  /** A looser bound, for machines too loaded for the goal: the rate a target still keeps up with. */
  private static final double P99_KEEPS_UP_MS = 1000;
  /** S4's goal: cross-node p99 at 1,000 messages/s on loopback. */
  private static final double S4_P99_GOAL_MS = 10;
  /** S4's paths, as the table names them. */
  private static final Map<String, String> S4_PATHS = Map.of(
      "cross-node", "cluster: producer on node B, sockets on node A",
      "same-node", "cluster: producer and sockets on node A",
      "cross-node-unpinned", "cluster, the nodes free to use both cores (as `PIN=0`): producer on node B, sockets on node A",
      "single", "one node alone (`--nocluster`, in memory)");

  public static void main(String[] args) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.matches("s[1-4] .*")) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("scenario", line.substring(0, 2));
        for (String kv : line.substring(3).trim().split(" ")) {
          String[] p = kv.split("=", 2);
          row.put(p[0], p[1]);
        }
        rows.add(row);
      }
    }
    boolean check = args.length > 3 && args[3].equals("--check");
    if (check) {
      check(rows, args.length > 4 ? args[4] : "s1");
    }
    StringBuilder md = new StringBuilder();
    // S1: per target and rate, medians over reps
    Map<String, TreeMap<Integer, List<Map<String, String>>>> s1 = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals("s1")) {
        s1.computeIfAbsent(r.get("target"), k -> new TreeMap<>())
            .computeIfAbsent(Integer.parseInt(r.get("rate")), k -> new ArrayList<>()).add(r);
      }
    }
    if (!s1.isEmpty()) {
      md.append("| target | rate offered (/s) | delivered (frames/s) | p50 (ms) | p99 (ms) | server CPU (µs/frame) | held p99 ≤ 50 ms |\n");
      md.append("|---|---:|---:|---:|---:|---:|---|\n");
    }
    Map<String, Double> best = new HashMap<>();
    Map<String, Double> keepsUp = new HashMap<>();
    Map<String, java.util.Set<Integer>> complete = new HashMap<>();
    Map<String, Map<Integer, Double>> cpu = new HashMap<>();
    for (String target : TARGETS) {
      TreeMap<Integer, List<Map<String, String>>> byRate = s1.get(target);
      if (byRate == null) {
        continue;
      }
      for (var e : byRate.entrySet()) {
        List<Map<String, String>> reps = e.getValue();
        double fps = median(reps, "fps");
        double p99 = median(reps, "p99_ms");
        double c = median(reps, "cpu_us_per_frame");
        long heldCount = reps.stream().filter(r -> r.get("held").equals("true")).count();
        boolean held = heldCount * 2 > reps.size();
        if (held) {
          best.merge(target, (double) e.getKey(), Math::max);
        }
        long keptUp = reps.stream().filter(r -> deliveredAll(r) && parse(r.get("p99_ms")) <= P99_KEEPS_UP_MS).count();
        if (keptUp * 2 > reps.size()) {
          keepsUp.merge(target, (double) e.getKey(), Math::max);
        }
        if (reps.stream().filter(Report::deliveredAll).count() * 2 > reps.size()) {
          complete.computeIfAbsent(target, k -> new java.util.HashSet<>()).add(e.getKey());
        }
        cpu.computeIfAbsent(target, k -> new HashMap<>()).put(e.getKey(), c);
        md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.1f | %s (%d/%d) |\n", target,
            e.getKey(), fps, median(reps, "p50_ms"), p99, c, held ? "yes" : "no", heldCount, reps.size()));
      }
    }
    md.append(s1.isEmpty() ? "" : "\n").append("| goal | product | standalone Tyrus | Node ws | product ÷ Tyrus | product ÷ ws | target |\n");
    md.append("|---|---:|---:|---:|---:|---:|---|\n");
    if (!s1.isEmpty()) {
      double p = best.getOrDefault("product", 0.0);
      double t = best.getOrDefault("tyrus", 0.0);
      double w = best.getOrDefault("ws", 0.0);
      md.append(String.format(Locale.ROOT, "| S1 highest rate with p99 ≤ 50 ms (frames/s) | %.0f | %.0f | %.0f | %s | %s | ≥ 1.0× Tyrus, ≥ 0.8× ws |\n",
          p, t, w, ratio(p, t), ratio(p, w)));
      double pk = keepsUp.getOrDefault("product", 0.0);
      double tk = keepsUp.getOrDefault("tyrus", 0.0);
      double wk = keepsUp.getOrDefault("ws", 0.0);
      md.append(String.format(Locale.ROOT, "| S1 highest rate delivered in full with p99 ≤ 1 s (frames/s) | %.0f | %.0f | %.0f | %s | %s | (looser bound for a loaded machine) |\n",
          pk, tk, wk, ratio(pk, tk), ratio(pk, wk)));
      if (s1.containsKey("product-nofix")) {
        md.append(String.format(Locale.ROOT, "| S1 same, without the WebSocket executor fix (frames/s) | %.0f | | | | | |\n",
            keepsUp.getOrDefault("product-nofix", 0.0)));
      }
      if (s1.containsKey("payara-plain")) {
        md.append(String.format(Locale.ROOT, "| S1 %s: p99 ≤ 50 ms / in full with p99 ≤ 1 s (frames/s) | %.0f / %.0f | | | | | |\n",
            PLAIN, best.getOrDefault("payara-plain", 0.0), keepsUp.getOrDefault("payara-plain", 0.0)));
      }
      int common = commonRate(complete, cpu);
      if (common > 0) {
        double pc = cpu.get("product").get(common);
        double tc = cpu.getOrDefault("tyrus", Map.of()).getOrDefault(common, Double.NaN);
        double wc = cpu.getOrDefault("ws", Map.of()).getOrDefault(common, Double.NaN);
        md.append(String.format(Locale.ROOT, "| S1 server CPU per frame at %d/s (µs) | %.1f | %.1f | %.1f | %s | %s | ≤ 1.5× Tyrus |\n",
            common, pc, tc, wc, ratio(pc, tc), ratio(pc, wc)));
        Double nofix = cpu.getOrDefault("product-nofix", Map.of()).get(common);
        if (nofix != null) {
          md.append(String.format(Locale.ROOT, "| S1 same, without the WebSocket executor fix (µs) | %.1f | | | | | |\n", nofix));
        }
        Double plain = cpu.getOrDefault("payara-plain", Map.of()).get(common);
        if (plain != null) {
          md.append(String.format(Locale.ROOT, "| S1 same, %s (µs) | %.1f | | | | | |\n", PLAIN, plain));
        }
      }
    }
    Map<String, Map<String, String>> s2 = new HashMap<>();
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals("s2") && r.containsKey("heap_kb_per_socket")) {
        s2.put(r.get("target"), r);
      }
    }
    if (!s2.isEmpty()) {
      double ph = num(s2, "product", "heap_kb_per_socket");
      double th = num(s2, "tyrus", "heap_kb_per_socket");
      double wh = num(s2, "ws", "heap_kb_per_socket");
      md.append(String.format(Locale.ROOT, "| S2 heap per idle socket, slope (KB; ws: V8 heap + external) | %.1f | %.1f | %.1f | %s | %s | ≤ 20 KB |\n",
          ph, th, wh, ratio(ph, th), ratio(ph, wh)));
      if (s2.containsKey("payara-plain")) {
        md.append(String.format(Locale.ROOT, "| S2 same, %s (KB) | %.1f | | | | | |\n",
            PLAIN, num(s2, "payara-plain", "heap_kb_per_socket")));
      }
      double pr = num(s2, "product", "rss_kb_per_socket");
      double tr = num(s2, "tyrus", "rss_kb_per_socket");
      double wr = num(s2, "ws", "rss_kb_per_socket");
      md.append(String.format(Locale.ROOT, "| S2 RSS per idle socket, slope (KB) | %.1f | %.1f | %.1f | %s | %s | |\n",
          pr, tr, wr, ratio(pr, tr), ratio(pr, wr)));
    }
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals("s3")) {
        md.append(String.format(Locale.ROOT, "| S3 single-line log POSTs/s | %s | – | – | | | ≥ 20,000 |\n", r.get("single_posts_per_s")));
        md.append(String.format(Locale.ROOT, "| S3 log lines/s in 1,000-line batches | %s | – | – | | | ≥ 200,000 |\n", r.get("batched_lines_per_s")));
        md.append(String.format(Locale.ROOT, "| S3 every accepted line reached the live viewer | %s (%s of %s) | – | – | | | yes |\n",
            r.get("all_delivered"), r.get("viewer_seq"), r.get("accepted_lines")));
      }
    }
    List<Map<String, String>> s4 = rows.stream().filter(r -> r.get("scenario").equals("s4")).toList();
    for (Map<String, String> r : s4) {
      if (r.get("path").equals("cross-node")) {
        md.append(String.format(Locale.ROOT, "| S4 cluster: cross-node p99 at %s/s, %s sockets (ms) | %s | – | – | | | ≤ %.0f ms |\n",
            r.get("rate"), r.get("sockets"), r.get("p99_ms"), S4_P99_GOAL_MS));
      } else if (r.get("path").equals("cross-node-unpinned")) {
        md.append(String.format(Locale.ROOT, "| S4 same, the nodes free to use both cores (ms) | %s | – | – | | | ≤ %.0f ms |\n",
            r.get("p99_ms"), S4_P99_GOAL_MS));
      }
    }
    double calls = 0;
    int n = 0;
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals("s1") && r.get("target").equals("product")) {
        calls += Double.parseDouble(r.get("producer_ns_per_call"));
        n++;
      }
    }
    if (n > 0) {
      md.append(String.format(Locale.ROOT, "| Producer: mean time inside `messenger.to(s).event(…)` (µs) | %.2f | | | | | a few µs, never blocks |\n", calls / n / 1000));
    }
    if (!s4.isEmpty()) {
      md.append("\n| S4 path | streams (members) | rate (/s) | sockets | sent | received | lost | p50 (ms) | p99 (ms) | max (ms)"
          + " | server CPU (µs/msg) | server cores busy | held p99 ≤ 10 ms |\n");
      md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (Map<String, String> r : s4) {
        String[] mode = r.get("sockets_mode").split("/");
        md.append(String.format(Locale.ROOT, "| %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
            S4_PATHS.getOrDefault(r.get("path"), r.get("path")), mode[0], mode[1], r.get("rate"), r.get("sockets"),
            r.get("sent"), r.get("received"), r.get("lost"), r.get("p50_ms"), r.get("p99_ms"), r.get("max_ms"),
            r.getOrDefault("server_cpu_us_per_msg", "–"), r.getOrDefault("server_cores_busy", "–"),
            r.get("held").equals("true") ? "yes" : "no"));
      }
    }
    Files.writeString(Path.of(args[1]), md.toString());
    Files.writeString(Path.of(args[2]), chart(s1));
    System.out.print(md);
  }

  private static void check(List<Map<String, String>> rows, String scenarios) {
    List<String> problems = new ArrayList<>();
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals("s1") && !r.get("sent").equals(r.get("received"))) {
        problems.add(r.get("target") + " at " + r.get("rate") + "/s: sent " + r.get("sent") + ", received " + r.get("received"));
      }
      if (r.get("scenario").equals("s3") && !r.get("all_delivered").equals("true")) {
        problems.add("ingest: the viewer missed lines: " + r);
      }
      if (r.get("scenario").equals("s4") && !(r.get("lost").equals("0") && r.get("refused").equals("0"))) {
        problems.add("cluster, " + r.get("path") + ": sent " + r.get("sent") + ", refused " + r.get("refused")
            + ", received " + r.get("received") + ", lost " + r.get("lost"));
      }
    }
    for (String scenario : List.of("s1", "s4")) {
      if ((" " + scenarios + " ").contains(" " + scenario + " ")
          && rows.stream().noneMatch(r -> r.get("scenario").equals(scenario))) {
        problems.add("no " + (scenario.equals("s1") ? "fan-out" : "cluster") + " results");
      }
    }
    if (!problems.isEmpty()) {
      System.err.println("smoke check failed:\n  " + String.join("\n  ", problems));
      System.exit(1);
    }
  }

  /**
   * The highest rate every target delivered in full (the CPU per frame there is mostly frame work,
   * not idle overhead), or failing that the product's lowest.
   */
  private static int commonRate(Map<String, java.util.Set<Integer>> complete, Map<String, Map<Integer, Double>> cpu) {
    if (!cpu.containsKey("product")) {
      return 0;
    }
    int chosen = 0;
    for (int rate : new TreeSet<>(cpu.get("product").keySet())) {
      boolean all = true;
      for (String t : List.of("product", "tyrus", "ws")) {
        if (cpu.containsKey(t) && !complete.getOrDefault(t, java.util.Set.of()).contains(rate)) {
          all = false;
        }
      }
      if (all) {
        chosen = rate;
      }
    }
    return chosen == 0 ? new TreeSet<>(cpu.get("product").keySet()).first() : chosen;
  }

  private static boolean deliveredAll(Map<String, String> r) {
    return r.get("sent").equals(r.get("received")) && r.get("refused").equals("0") && r.get("closed").equals("0");
  }

  private static double num(Map<String, Map<String, String>> s2, String target, String key) {
    Map<String, String> r = s2.get(target);
    return r == null ? Double.NaN : Double.parseDouble(r.get(key));
  }

  private static String ratio(double a, double b) {
    return b > 0 && !Double.isNaN(a) && !Double.isNaN(b) ? String.format(Locale.ROOT, "%.2f×", a / b) : "–";
  }

  private static double median(List<Map<String, String>> reps, String key) {
    double[] v = reps.stream().mapToDouble(r -> parse(r.get(key))).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double parse(String v) {
    return v.equals("NaN") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
  }

  /** p99 against offered rate, log-scaled latency, one line per target, the 50 ms goal dashed. */
  private static String chart(Map<String, TreeMap<Integer, List<Map<String, String>>>> s1) {
    int width = 720;
    int height = 420;
    int left = 70;
    int right = 150;
    int top = 30;
    int bottom = 50;
    double maxRate = 1;
    for (var byRate : s1.values()) {
      maxRate = Math.max(maxRate, byRate.lastKey());
    }
    double minLog = Math.log10(0.1);
    double maxLog = Math.log10(10000);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", width, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">p99 latency against offered rate (1,000 sockets, ~200-byte frames)</text>\n", left));
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    for (double ms : new double[] {0.1, 1, 10, 100, 1000, 10000}) {
      double y = top + plotH - (Math.log10(ms) - minLog) / (maxLog - minLog) * plotH;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y, left + plotW, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>\n", left - 6, y + 4, ms < 1 ? "0.1" : String.valueOf((long) ms)));
    }
    double goalY = top + plotH - (Math.log10(P99_GOAL_MS) - minLog) / (maxLog - minLog) * plotH;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"6,4\"/>\n", left, goalY, left + plotW, goalY));
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#666\">goal: 50 ms</text>\n", left + plotW + 6, goalY + 4));
    for (int i = 0; i <= 5; i++) {
      double rate = maxRate * i / 5;
      double x = left + plotW * i / 5;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>\n", x, top, x, top + plotH));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0fk</text>\n", x, top + plotH + 18, rate / 1000));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">offered rate (messages/s)</text>\n", left + plotW / 2, height - 8));
    int c = 0;
    for (String target : TARGETS) {
      TreeMap<Integer, List<Map<String, String>>> byRate = s1.get(target);
      String colour = COLOURS[c++];
      if (byRate == null) {
        continue;
      }
      StringBuilder points = new StringBuilder();
      for (var e : byRate.entrySet()) {
        double p99 = Math.max(0.1, Math.min(10000, median(e.getValue(), "p99_ms")));
        double x = left + plotW * e.getKey() / maxRate;
        double y = top + plotH - (Math.log10(p99) - minLog) / (maxLog - minLog) * plotH;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y, colour));
      }
      svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", points, colour));
      double ly = top + 20 + 18 * (c - 1);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n", left + plotW + 10, ly, left + plotW + 30, ly, colour));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", left + plotW + 36, ly + 4,
          switch (target) {
            case "product" -> "status-messenger";
            case "tyrus" -> "Tyrus (Grizzly)";
            case "ws" -> "Node ws";
            case "payara-plain" -> "plain on Payara";
            default -> "without the fix";
          }));
    }
    return svg.append("</svg>\n").toString();
  }

  private Report() {}
}
