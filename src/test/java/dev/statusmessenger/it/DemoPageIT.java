package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a person sees, in headless Chromium against the WAR on Payara Micro: the demo page runs the
 * server-side agent and shows its statuses and events live, and the JavaScript client shows text as
 * text and resumes after a drop.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DemoPageIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.product();
  }

  @ArquillianResource URL base;

  @BeforeEach
  void overLoopback() {
    base = Deployments.loopback(base);
  }

  private static ChromeDriver browser;

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  @Test
  void theDemoAgentsStepsAppearLiveOnThePage() throws Exception {
    browser.get(base.toString());
    waitUpTo(20).until(d -> "live".equals(d.findElement(By.id("connection")).getText()));
    // record every status the page shows, as a person watching it would see them change
    js(
        "window.__seen = [];"
            + "new MutationObserver(() => window.__seen.push(document.getElementById('status').textContent))"
            + ".observe(document.getElementById('status'), {childList: true, characterData: true, subtree: true});");
    browser.findElement(By.id("run-agent")).click();
    waitUpTo(30)
        .until(d -> d.findElement(By.id("status")).getText().startsWith("Done: KL1692 booked"));
    @SuppressWarnings("unchecked")
    List<String> seen = new ArrayList<>((List<String>) js("return window.__seen;"));
    assertTrue(seen.contains("Searching flights…"), "statuses seen: " + seen);
    assertTrue(
        seen.contains("Searching flights LIS → AMS (3 airlines)…"),
        "the @Asynchronous tool's status reached the page: " + seen);
    assertTrue(seen.indexOf("Reading your request…") < seen.indexOf("Comparing prices…"), seen.toString());
    List<String> events =
        browser.findElements(By.cssSelector("#events li .type")).stream().map(e -> e.getText()).toList();
    assertEquals(
        List.of("task_started", "plan", "subtask_started", "tool_interaction", "tool_interaction",
            "subtask_started", "completed"),
        events);
    // the task log: every line of the task and its two subtasks, coloured by level
    waitUpTo(10).until(d -> d.findElements(By.cssSelector("#log li")).size() == 9);
    List<String> levels =
        browser.findElements(By.cssSelector("#log li")).stream().map(e -> e.getAttribute("class")).toList();
    assertEquals("level-info", levels.get(0));
    assertTrue(levels.contains("level-warning") && levels.contains("level-error"), levels.toString());
    String errorColour =
        browser.findElement(By.cssSelector("#log li.level-error .level")).getCssValue("color");
    String infoColour =
        browser.findElement(By.cssSelector("#log li.level-info .level")).getCssValue("color");
    assertEquals("rgba(249, 112, 102, 1)", errorColour, "errors are red");
    assertTrue(!errorColour.equals(infoColour), "levels have their own colours");
    assertEquals(
        "Search flights",
        browser.findElement(By.cssSelector("#log li.level-warning .source")).getText(),
        "a subtask's line names the subtask");
    saveScreenshot("demo-page.png");
  }

  @Test
  void startStatusUpdatesShowsTheLatestStatusAsTextNeverAsHtml() {
    browser.get(base.toString());
    Http http = new Http(base);
    Http.Session s = http.createSession();
    js(
        "const el = document.createElement('div'); el.id = 'probe-status'; document.body.appendChild(el);"
            + "window.__alerted = false; window.alert = () => { window.__alerted = true; };"
            + "startStatusUpdates('probe-status', StatusMessenger.sessionUrl(arguments[0]), {token: arguments[1]});",
        s.id(),
        s.token());
    String hostile = "<img src=x onerror=alert(1)><b>bold</b>";
    waitUpTo(10).until(d -> postStatus(http, s.id(), hostile));
    waitUpTo(10).until(d -> hostile.equals(d.findElement(By.id("probe-status")).getText()));
    assertEquals(0L, js("return document.querySelectorAll('#probe-status img, #probe-status b').length;"));
    assertEquals(false, js("return window.__alerted;"));
  }

  @Test
  void aHostileStatusShowsAsLiteralTextOnTheDemoPage() {
    browser.get(base.toString());
    waitUpTo(20).until(d -> "live".equals(d.findElement(By.id("connection")).getText()));
    js("window.__alerted = false; window.alert = () => { window.__alerted = true; };");
    String session =
        (String) js("return JSON.parse(sessionStorage.getItem('status-messenger-demo-session')).session;");
    String hostile = "<img src=x onerror=alert(1)>";
    Http http = new Http(base);
    assertTrue(postStatus(http, session, hostile));
    waitUpTo(10).until(d -> hostile.equals(d.findElement(By.id("status")).getText()));
    assertEquals(hostile, js("return document.getElementById('status').textContent;"));
    assertEquals(0L, js("return document.querySelectorAll('img').length;"), "no element was made from the text");
    String hostileEvent = "{\"event_type\":\"<svg onload=alert(2)>\",\"data\":{\"html\":\"<script>alert(3)</script>\"}}";
    assertEquals(202, http.post("api/v1/sessions/" + session + "/events", hostileEvent, SessionMessagingIT.PRODUCER_KEY).statusCode());
    waitUpTo(10).until(d -> d.findElements(By.cssSelector("#events li .type")).stream()
        .anyMatch(e -> e.getText().equals("<svg onload=alert(2)>")));
    assertEquals(0L, js("return document.querySelectorAll('#events svg, #events script').length;"));
    assertEquals(false, js("return window.__alerted;"), "no script ran");
  }

  @Test
  void theClientResumesAfterADropWithNothingMissedOrRepeated() {
    browser.get(base.toString());
    Http http = new Http(base);
    Http.Session s = http.createSession();
    connectRecordingClient(s, "{baseDelayMs: 200}");
    postEvents(http, s.id(), 1, 3);
    js("window.__client.socket.close(4000, 'network blip');");
    postEvents(http, s.id(), 4, 10);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), recorded("__events"));
    List<String> states = recorded("__states");
    int waiting = IntStream.range(0, states.size()).filter(i -> states.get(i).startsWith("waiting")).findFirst().orElse(-1);
    assertTrue(waiting > 0 && states.lastIndexOf("ready") > waiting, states.toString());
  }

  @Test
  void theClientStopsAfterARefusalInsteadOfRetrying() throws Exception {
    browser.get(base.toString());
    Http.Session s = new Http(base).createSession();
    js(
        "window.__states = [];"
            + "window.__client = StatusMessenger.connect({session: arguments[0], token: arguments[1] + 'x',"
            + " baseDelayMs: 100, onStateChange: (s, d) => window.__states.push(s + (d && d.code ? ' ' + d.code : ''))});",
        s.id(),
        s.token());
    waitUpTo(10).until(d -> "refused".equals(js("return window.__client.state;")));
    Thread.sleep(1500); // a retry would have come after 50-100 ms
    @SuppressWarnings("unchecked")
    List<String> states = (List<String>) js("return window.__states;");
    assertEquals(List.of("connecting", "refused 1008"), states, "a bad token is not retried");
  }

  @Test
  void theClientReplacesASilentConnectionAndResumes() throws Exception {
    try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort())) {
      browser.get("http://127.0.0.1:" + proxy.port() + base.getPath()); // the page, its socket too, via the proxy
      Http http = new Http(base);
      Http.Session s = http.createSession();
      connectRecordingClient(s, "{baseDelayMs: 200, pingIntervalMs: 500}");
      postEvents(http, s.id(), 1, 3);
      proxy.freezeAll(); // half-open TCP: no close ever reaches the browser
      postEvents(http, s.id(), 4, 10);
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), recorded("__events"));
      List<String> states = recorded("__states");
      assertTrue(states.contains("waiting: no answer to ping"), states.toString());
      js("window.__client.close();");
    }
  }

  /**
   * Connects a client in the page with the given extra options; it records the {@code n} of each
   * event in {@code __events} and each state (with its reason, if any) in {@code __states}.
   */
  private void connectRecordingClient(Http.Session s, String options) {
    js(
        "window.__events = []; window.__states = [];"
            + "window.__client = StatusMessenger.connect(Object.assign({session: arguments[0], token: arguments[1],"
            + " onEvent: (t, d) => window.__events.push(d.n),"
            + " onStateChange: (s, d) => window.__states.push(s + (d && d.reason ? ': ' + d.reason : ''))}, "
            + options + "));",
        s.id(),
        s.token());
    waitUpTo(10).until(d -> "ready".equals(js("return window.__client.state;")));
  }

  /** Posts events {@code from..to} and waits until the page has recorded {@code to} of them. */
  private void postEvents(Http http, String session, int from, int to) {
    for (int n = from; n <= to; n++) {
      postEvent(http, session, n);
    }
    waitUpTo(20).until(d -> ((Number) js("return window.__events.length;")).intValue() >= to);
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> recorded(String name) {
    return (List<T>) js("return window." + name + ";");
  }


  @Test
  void theOperatorPageRefusesAWrongKeyThenShowsTrafficLiveWithLabelsAsText() throws Exception {
    browser.get(base + "ops");
    waitUpTo(10).until(d -> d.findElement(By.id("key")).isDisplayed());
    browser.findElement(By.id("key")).sendKeys("not-the-key");
    browser.findElement(By.id("connect")).click();
    waitUpTo(10).until(d -> "refused".equals(d.findElement(By.id("state")).getAttribute("data-state")));
    assertEquals(
        "The server refused the key (an operator socket needs a producer key).",
        browser.findElement(By.id("key-error")).getText());
    assertEquals(null, js("return sessionStorage.getItem('status-messenger-ops-key');"), "a refused key is forgotten");

    browser.findElement(By.id("key")).sendKeys(SessionMessagingIT.PRODUCER_KEY);
    browser.findElement(By.id("connect")).click();
    waitUpTo(10).until(d -> "live".equals(d.findElement(By.id("state")).getText()));
    waitUpTo(10).until(d -> d.findElement(By.id("dashboard")).isDisplayed());
    assertTrue(!browser.getCurrentUrl().contains(SessionMessagingIT.PRODUCER_KEY), "the key is never in the URL");
    js("window.__alerted = false; window.alert = () => { window.__alerted = true; };");
    long inBefore = shownNumber("total-in");

    Http http = new Http(base);
    Http.Session s = http.createSession();
    String hostile = "<img src=x onerror=alert(1)><b>nightly</b>";
    String task = http.createTask(hostile, null, s.id(), SessionMessagingIT.PRODUCER_KEY);
    try (TestSocket tab = TestSocket.ready(base, s.id(), s.token())) {
      for (int n = 1; n <= 5; n++) {
        postEvent(http, s.id(), n);
      }
      String lines = "[{\"level\":\"info\",\"message\":\"x\"},{\"level\":\"info\",\"message\":\"y\"}]";
      assertEquals(202, http.post("api/v1/tasks/" + task + "/logs", lines, SessionMessagingIT.PRODUCER_KEY).statusCode());
      tab.take(5, "event");

      // the row appears with the first second that counted the session; then it grows to all five
      By sessionRow = By.cssSelector("#busiest-sessions td[data-id='" + s.id() + "']");
      // id shortened, messages, sockets
      waitUpTo(15).until(d -> rowCells(sessionRow).equals(List.of(shortId(s.id()), "5", "1")));
      assertTrue(shortId(s.id()).endsWith("…"), "a minted id is long enough to be shortened");

      By taskRow = By.cssSelector("#busiest-tasks td[data-id='" + task + "']");
      // id, the description as literal text, lines, viewers
      waitUpTo(15).until(d -> rowCells(taskRow).equals(List.of(shortId(task), hostile, "2", "0")));
      assertEquals(0L, js("return document.querySelectorAll('#busiest-tasks img, #busiest-tasks b').length;"));

      waitUpTo(15).until(d -> shownNumber("total-in") >= inBefore + 7);
      assertTrue(Double.parseDouble(browser.findElement(By.id("chart-throughput")).getAttribute("data-max")) > 0,
          "the throughput chart drew the traffic");
      assertTrue(!browser.findElements(By.cssSelector("#chart-throughput polyline.out")).isEmpty());
      assertTrue(!browser.findElements(By.cssSelector("#chart-latency polyline.p95")).isEmpty(),
          "the latency chart has a line");
      assertTrue(shownNumber("now-connections") >= 1);
      assertTrue(shownNumber("now-tasks") >= 1);
      assertEquals(false, js("return window.__alerted;"), "no script ran");
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 1500));
      try {
        saveScreenshot("ops-page.png");
      } finally {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 1000));
      }
    }
  }

  /** An id as the ops page shows it: its first twelve characters and an ellipsis, where longer than 14. */
  private static String shortId(String id) {
    return id.length() > 14 ? id.substring(0, 12) + "…" : id;
  }

    /** The texts of the cells of the table row holding the cell found, or none where none is. */
  private static List<String> rowCells(By cell) {
    try {
      List<org.openqa.selenium.WebElement> found = browser.findElements(cell);
      return found.isEmpty() ? List.of()
          : found.get(0).findElement(By.xpath("..")).findElements(By.tagName("td")).stream()
              .map(e -> e.getText()).toList();
    } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
      return List.of();
    }
  }

    /** A number as a tile or total shows it ("1,234"), or -1 where it shows none yet. */
  private static long shownNumber(String id) {
    String text = browser.findElement(By.id(id)).getText().replace(",", "");
    return text.matches("\\d+") ? Long.parseLong(text) : -1;
  }

  private static boolean postStatus(Http http, String session, String text) {
    String body = jakarta.json.Json.createObjectBuilder().add("message", text).build().toString();
    return http.post("api/v1/sessions/" + session + "/status", body, SessionMessagingIT.PRODUCER_KEY).statusCode() == 202;
  }

  private static void postEvent(Http http, String session, int n) {
    String body = "{\"event_type\":\"n\",\"data\":{\"n\":" + n + "}}";
    assertEquals(202, http.post("api/v1/sessions/" + session + "/events", body, SessionMessagingIT.PRODUCER_KEY).statusCode());
  }

  private static void saveScreenshot(String name) throws Exception {
    java.nio.file.Path target = java.nio.file.Path.of("target", "screenshots");
    java.nio.file.Files.createDirectories(target);
    java.nio.file.Files.write(target.resolve(name), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
  }

  static WebDriver driver() {
    return browser;
  }
}
