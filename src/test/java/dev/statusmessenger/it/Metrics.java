package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.http.HttpResponse;

/** The Prometheus text the platform serves on /metrics: sums of samples by name and label. */
record Metrics(String text) {

  /** The application's metrics of the server of an application's base URL, now. */
  static Metrics of(URL base) {
    HttpResponse<String> r;
    try {
      r = new Http(new URL(base, "/")).get("metrics?scope=application", null); // at the server's root
    } catch (MalformedURLException e) {
      throw new AssertionError(e);
    }
    assertEquals(200, r.statusCode(), "GET /metrics");
    return new Metrics(r.body());
  }

  boolean has(String name) {
    return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
  }

  double value(String name, String label) {
    double sum = 0;
    boolean found = false;
    for (String line : text.lines().toList()) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      if (!line.contains(label)) {
        continue;
      }
      String[] parts = line.trim().split("\\s+");
      sum += Double.parseDouble(parts[parts.length - 1]);
      found = true;
    }
    if (!found) {
      throw new AssertionError("no sample " + name + " " + label + " in:\n" + excerpt());
    }
    return sum;
  }

  long delta(Metrics before, String name, String label) {
    return Math.round(value(name, label) - before.valueOrZero(name, label));
  }

  private double valueOrZero(String name, String label) {
    return has(name) && text.contains(label) ? value(name, label) : 0;
  }

  private String excerpt() {
    return text.lines().filter(l -> l.contains("status_messenger")).limit(40)
        .reduce("", (a, b) -> a + b + "\n");
  }
}
