package dev.statusmessenger.context;

import dev.statusmessenger.auth.Credentials;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Opens the current-session scope for every HTTP request and closes it when the request ends. A
 * request that carries a valid session token ({@code Authorization: Bearer}) has that session
 * current from the start; a JAX-RS resource with a {@code {session}} path parameter sets it once
 * matched (see {@link SessionPathFilter}).
 */
@WebFilter(filterName = "status-messenger-current-session", urlPatterns = "/*", asyncSupported = true)
public class CurrentSessionFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final String BEARER = "Bearer ";

  @Inject transient Credentials credentials;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try (CurrentSession.Scope scope = CurrentSession.bind(sessionFromToken(request))) {
      chain.doFilter(request, response);
    }
  }

  private String sessionFromToken(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    return credentials.tokens().sessionOf(authorization.substring(BEARER.length()).trim()).orElse(null);
  }
}
