package dev.statusmessenger.auth;

import dev.statusmessenger.config.MessengerConfig;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Refuses WebSocket handshakes from an {@code Origin} outside the allowed list with 403, before the
 * container upgrades them: the container's own check accepts every origin. Covers both sockets,
 * {@code /ws/{session}} and {@code /ws/tasks/{task}}. See {@link OriginPolicy} for the rules.
 */
@WebFilter(filterName = "status-messenger-origin", urlPatterns = "/ws/*", asyncSupported = true)
public class OriginFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(OriginFilter.class.getName());

  @Inject transient MessengerConfig config;

  private transient volatile OriginPolicy policy;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!policy().allows(request.getHeader("Origin"), request.getHeader("Host"))) {
      LOG.fine("Refused a WebSocket handshake from an origin that is not allowed");
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "Origin not allowed");
      return;
    }
    chain.doFilter(request, response);
  }

  private OriginPolicy policy() {
    OriginPolicy p = policy;
    if (p == null) {
      p = new OriginPolicy(config.allowedOrigins());
      policy = p;
    }
    return p;
  }
}
