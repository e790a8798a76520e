package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    js(
        "window.__events = []; window.__states = [];"
            + "window.__client = StatusMessenger.connect({session: arguments[0], token: arguments[1],"
            + " baseDelayMs: 200, onEvent: (t, d) => window.__events.push(d.n),"
            + " onStateChange: s => window.__states.push(s)});",
        s.id(),
        s.token());
    waitUpTo(10).until(d -> "ready".equals(js("return window.__client.state;")));
    for (int n = 1; n <= 3; n++) {
      postEvent(http, s.id(), n);
    }
    waitUpTo(10).until(d -> ((Number) js("return window.__events.length;")).intValue() == 3);
    js("window.__client.socket.close(4000, 'network blip');");
    for (int n = 4; n <= 10; n++) {
      postEvent(http, s.id(), n);
    }
    waitUpTo(20).until(d -> ((Number) js("return window.__events.length;")).intValue() >= 10);
    @SuppressWarnings("unchecked")
    List<Long> events = (List<Long>) js("return window.__events;");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), events);
    @SuppressWarnings("unchecked")
    List<String> states = (List<String>) js("return window.__states;");
    assertTrue(states.indexOf("waiting") > 0 && states.lastIndexOf("ready") > states.indexOf("waiting"), states.toString());
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
