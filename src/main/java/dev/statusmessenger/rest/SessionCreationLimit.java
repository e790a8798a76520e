package dev.statusmessenger.rest;

import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.limit.AddressRateLimiter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

/**
 * Limits {@code POST /sessions} per client address ({@code status-messenger.session-create-rate}
 * a minute, with a burst of as many): anyone may create sessions, so nobody may create them
 * without end. Over the limit: 429 with {@code Retry-After}. Behind a reverse proxy every client
 * has the proxy's address; limit there too (see docs/security.md).
 */
@ApplicationScoped
public class SessionCreationLimit {

  @Inject MessengerConfig config;

  private AddressRateLimiter limiter;

  @PostConstruct
  void init() {
    limiter = new AddressRateLimiter(config.sessionCreateRate(), System::nanoTime);
  }

  /** Takes one session creation from the address's budget, or refuses with 429. */
  public void acquire(String clientAddress) {
    long retryAfter = limiter.tryAcquire(clientAddress == null ? "" : clientAddress);
    if (retryAfter > 0) {
      throw new WebApplicationException(
          "rate limited",
          Problem.response(
              429,
              "Too Many Requests",
              "Too many sessions created from this address; retry after " + retryAfter + " s",
              Long.toString(retryAfter)));
    }
  }
}
