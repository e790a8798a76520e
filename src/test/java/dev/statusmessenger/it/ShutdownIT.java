package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Shutdown on a Payara Micro process of the test's own, stopped the way an orchestrator stops it
 * (SIGTERM while producers post and sockets read): everything answered with 2xx reaches every
 * socket, in order, before each is closed with 1001; the browser client then reconnects to the
 * restarted server by itself, is told that history did not survive (reset), and goes on live.
 */
class ShutdownIT {

  static final String KEY = SessionMessagingIT.PRODUCER_KEY;

  @Test
  void sigtermDeliversEverythingAcceptedThenClosesWith1001AndThePageResumesAfterRestart() {
    WebDriver browser = Browser.start();
    PayaraProcess payara = null;
    try {
      payara = PayaraProcess.start(0);
      int port = payara.port();
      Http http = new Http(payara.base());
      Http.Session s = http.createSession();
      String task = http.createTask("shutdown", null, s.id(), KEY);
      List<TestSocket> tabs = List.of(
          TestSocket.ready(payara.base(), s.id(), s.token()),
          TestSocket.ready(payara.base(), s.id(), s.token()));
      TestSocket viewer = TestSocket.openTask(payara.base(), task).auth(KEY, null, false);
      assertEquals("ready", viewer.next().getString("type"));
      openPage(browser, payara, s);

      List<Long> accepted = new ArrayList<>();
      List<Long> acceptedLines = new ArrayList<>();
      Thread producer = new Thread(() -> produceUntilRefused(http, s.id(), task, accepted, acceptedLines));
      producer.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (sizeOf(accepted) < 20 && producer.isAlive() && System.nanoTime() < deadline) {
        sleep(100);
      }
      payara.terminate(Duration.ofSeconds(90));
      join(producer);

      assertTrue(accepted.size() > 10, "the producer was posting when the server stopped: " + accepted.size());
      for (TestSocket tab : tabs) {
        assertStartsWithAll(accepted, seqsUntilClosed(tab, "event"));
        assertEquals(1001, tab.closeCodeWithin(Duration.ZERO), "going away");
      }
      assertStartsWithAll(acceptedLines, seqsUntilClosed(viewer, "log"));
      assertEquals(1001, viewer.closeCodeWithin(Duration.ZERO));
      @SuppressWarnings("unchecked")
      List<Long> onPage = (List<Long>) js(browser, "return window.__events;");
      assertStartsWithAll(accepted, onPage);

      payara = PayaraProcess.start(port);
      Http again = new Http(payara.base());
      wait(browser, 60).until(d -> "ready".equals(js(d, "return window.__client.state;")));
      assertEquals(1L, js(browser, "return window.__resets;"), "the page was told history did not survive");
      assertEquals(202, again.post("api/v1/sessions/" + s.id() + "/events", "{\"event_type\":\"n\",\"data\":{\"n\":-1}}", KEY).statusCode());
      wait(browser, 20).until(d -> ((Number) js(d, "return window.__afterRestart;")).intValue() == 1);
    } finally {
      browser.quit();
      if (payara != null) {
        payara.close();
      }
    }
  }

  private static void openPage(WebDriver browser, PayaraProcess payara, Http.Session s) {
    browser.get(payara.base().toString());
    js(browser,
        "window.__events = []; window.__resets = 0; window.__afterRestart = 0;"
            + "window.__client = StatusMessenger.connect({session: arguments[0], token: arguments[1],"
            + " baseDelayMs: 200, maxDelayMs: 1000,"
            + " onEvent: (t, d, f) => { if (d.n < 0) window.__afterRestart++; else window.__events.push(f.seq); },"
            + " onReset: () => window.__resets++});",
        s.id(), s.token());
    wait(browser, 20).until(d -> "ready".equals(js(d, "return window.__client.state;")));
  }

  /** Posts events and log lines as fast as answers come, until the server refuses or is gone. */
  private static void produceUntilRefused(Http http, String session, String task, List<Long> accepted, List<Long> acceptedLines) {
    for (int i = 1; i < 1_000_000; i++) {
      try {
        HttpResponse<String> event = http.post("api/v1/sessions/" + session + "/events", "{\"event_type\":\"n\",\"data\":{\"n\":" + i + "}}", KEY);
        if (event.statusCode() != 202) {
          return;
        }
        synchronized (accepted) {
          accepted.add(seqOf(event));
        }
        HttpResponse<String> line = http.post("api/v1/tasks/" + task + "/logs", "{\"level\":\"info\",\"message\":\"" + i + "\"}", KEY);
        if (line.statusCode() != 202) {
          return;
        }
        synchronized (acceptedLines) {
          acceptedLines.add((long) i);
        }
      } catch (AssertionError gone) {
        return;
      }
    }
  }

  /**
   * Every accepted message arrived in order, once; at most one more may follow: stored and ordered
   * while its 2xx answer was lost to the stopping server.
   */
  private static void assertStartsWithAll(List<Long> accepted, List<Long> received) {
    assertTrue(received.size() >= accepted.size() && received.size() <= accepted.size() + 1,
        "received " + received.size() + " of " + accepted.size() + " accepted");
    assertEquals(accepted, received.subList(0, accepted.size()), "every accepted message, in order, once");
  }

  private static int sizeOf(List<Long> list) {
    synchronized (list) {
      return list.size();
    }
  }

  private static long seqOf(HttpResponse<String> response) {
    return Json.createReader(new StringReader(response.body())).readObject().getJsonNumber("seq").longValue();
  }

  /** The seq of each frame of a type (or, for log lines, the line number) until the socket closes. */
  private static List<Long> seqsUntilClosed(TestSocket socket, String type) {
    List<Long> out = new ArrayList<>();
    JsonObject frame;
    while ((frame = socket.poll(Duration.ofSeconds(10))) != null) {
      if (type.equals(frame.getString("type"))) {
        out.add("log".equals(type) ? Long.parseLong(frame.getString("message")) : frame.getJsonNumber("seq").longValue());
      }
    }
    assertTrue(socket.isClosed(), "the server closed the socket after its last frame");
    return out;
  }

  private static Object js(WebDriver browser, String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static WebDriverWait wait(WebDriver browser, int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds));
  }

  private static void join(Thread thread) {
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
