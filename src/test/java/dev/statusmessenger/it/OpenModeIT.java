package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * {@code STATUS_MESSENGER_AUTH=none}, the demo on a trusted network, on a Payara Micro process of
 * the test's own: sockets and producers need no credential, sockets take their cursor from the
 * query, the start says so loudly, and input is still checked.
 */
class OpenModeIT {

  @Test
  void withAuthOffNothingNeedsACredentialTheStartSaysSoAndInputIsStillChecked() {
    try (PayaraProcess payara = PayaraProcess.start(0, "status-messenger.auth=none")) {
      // at start, before any request: the log is read for up to 10 s as it is flushed
      for (int i = 0; i < 40 && !payara.logContains("STATUS_MESSENGER_AUTH=none"); i++) {
        sleep(250);
      }
      assertTrue(payara.logContains("STATUS_MESSENGER_AUTH=none"), "the warning at start; log tail:\n" + payara.logTail());
      Http http = new Http(payara.base());
      Http.Session s = http.createSession();
      String status = "api/v1/sessions/" + s.id() + "/status";
      assertEquals(202, http.post(status, "{\"message\":\"one\"}", null).statusCode());
      assertEquals(202, http.post(status, "{\"message\":\"two\"}", null).statusCode());

      // no auth message: ready at once, resuming from the query's cursor
      try (TestSocket socket = TestSocket.open(TestSocket.wsUri(payara.base(), "ws/" + s.id() + "?since=1"), null)) {
        JsonObject ready = socket.next();
        assertEquals("ready", ready.getString("type"), ready.toString());
        assertEquals(2, ready.getInt("seq"));
        JsonObject missed = socket.next();
        assertEquals("two", missed.getString("data"), "only what came after the cursor");
        assertEquals(2, missed.getInt("seq"));
        assertEquals(202, http.post(status, "{\"message\":\"three\"}", null).statusCode());
        assertEquals("three", socket.next().getString("data"));
      }

      String task = http.createTask("open demo", null, null, null);
      assertEquals(202, http.post("api/v1/tasks/" + task + "/logs", "{\"level\":\"info\",\"message\":\"hello\"}", null).statusCode());
      try (TestSocket viewer = TestSocket.open(TestSocket.wsUri(payara.base(), "ws/tasks/" + task + "?since=0"), null)) {
        assertEquals("ready", viewer.next().getString("type"));
        assertEquals("hello", viewer.nextOfType("log").getString("message"));
      }

      // open is not unchecked
      assertEquals(400, http.post("api/v1/sessions/bad..id/status", "{\"message\":\"x\"}", null).statusCode());
      assertEquals(400, http.post(status, "{\"message\":", null).statusCode());
      assertEquals(404, http.post("api/v1/tasks/no-such-task/logs", "{\"level\":\"info\",\"message\":\"x\"}", null).statusCode());
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
