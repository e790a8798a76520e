package dev.statusmessenger.platform;

import dev.statusmessenger.config.ConfigKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This filter shrinks the write buffer of each WebSocket handshake's HTTP response, before the
 * container upgrades it, from Grizzly's 8 KB to its 512-byte minimum, because every frame a socket
 * sends goes through that response's buffer and, written from a thread outside Grizzly's own pool,
 * gets a new buffer of that size each time: 8 KB of garbage for a 200-byte frame, most of what the
 * product allocates under load (see docs/performance.md). With 512 bytes, smaller frames take a
 * 512-byte buffer and larger ones are written from Tyrus's own bytes without a copy.
 *
 * <p>The servlet API can only grow a response's buffer, so it reaches Grizzly's response behind
 * Payara's {@code org.apache.catalina.connector.ResponseFacade} (its protected field
 * {@code response}, then the public {@code getCoyoteResponse().setBufferSize(int)}). Switch it off
 * with {@code status-messenger.socket-write-buffer-fix=false}. Where the response is not that
 * facade, or its members differ, it logs why once and leaves the response as it is. What it did
 * at the first handshake is in the servlet context attribute {@link #STATUS_ATTRIBUTE}; an
 * integration test fails when a Payara upgrade makes it step aside.
 */
@WebFilter(filterName = "status-messenger-socket-write-buffer", urlPatterns = "/ws/*", asyncSupported = true)
public class SocketWriteBufferFix extends HttpFilter {

  /** Servlet context attribute with the outcome: {@code applied}, {@code off}, {@code no handshake yet} or why not. */
  public static final String STATUS_ATTRIBUTE = ConfigKeys.SOCKET_WRITE_BUFFER_FIX;

  /** Grizzly's smallest output buffer. */
  static final int BUFFER_BYTES = 512;

  static final String APPLIED = "applied";
  static final String OFF = "off";
  static final String NO_HANDSHAKE_YET = "no handshake yet";

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(SocketWriteBufferFix.class.getName());
  private static final String FACADE = "org.apache.catalina.connector.ResponseFacade";

  private transient boolean enabled;
  /** False once it has stepped aside: the next handshakes would fail the same way. */
  private transient volatile boolean working = true;
  private transient volatile boolean reported;

  @Override
  public void init(FilterConfig config) throws ServletException {
    super.init(config);
    enabled = Switch.isOn(ConfigKeys.SOCKET_WRITE_BUFFER_FIX);
    getServletContext().setAttribute(STATUS_ATTRIBUTE, enabled ? NO_HANDSHAKE_YET : OFF);
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (enabled && working && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      String status = shrink(response);
      if (!APPLIED.equals(status)) {
        working = false;
      }
      report(status);
    }
    chain.doFilter(request, response);
  }

  /** Sets the Grizzly response's buffer to {@link #BUFFER_BYTES}; says {@code applied} or why not. */
  static String shrink(ServletResponse response) {
    ServletResponse inner = response;
    while (inner instanceof ServletResponseWrapper wrapper) {
      inner = wrapper.getResponse();
    }
    Field field = responseField(inner.getClass());
    if (field == null) {
      return "the response " + inner.getClass().getName() + " is not a " + FACADE + " with a response field";
    }
    try {
      field.setAccessible(true);
      Object catalina = field.get(inner);
      Object grizzly = catalina.getClass().getMethod("getCoyoteResponse").invoke(catalina);
      grizzly.getClass().getMethod("setBufferSize", int.class).invoke(grizzly, BUFFER_BYTES);
      Object size = grizzly.getClass().getMethod("getBufferSize").invoke(grizzly);
      return Integer.valueOf(BUFFER_BYTES).equals(size) ? APPLIED : "the buffer stayed at " + size + " bytes";
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "the response refused the change: " + e;
    }
  }

  /** Records and logs the first outcome, and the first failure should one come after success. */
  private void report(String status) {
    if (reported && APPLIED.equals(status)) {
      return;
    }
    reported = true;
    getServletContext().setAttribute(STATUS_ATTRIBUTE, status);
    if (APPLIED.equals(status)) {
      LOG.info("WebSocket sends use a " + BUFFER_BYTES + "-byte write buffer (see docs/performance.md)");
    } else {
      LOG.log(Level.WARNING, "WebSocket write buffer fix not applied, each frame sent allocates 8 KB: {0}", status);
    }
  }

  /** The {@code response} field of Payara's response facade, where the response is one; else null. */
  private static Field responseField(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (FACADE.equals(c.getName())) {
        try {
          return c.getDeclaredField("response");
        } catch (NoSuchFieldException e) {
          return null;
        }
      }
    }
    return null;
  }
}
