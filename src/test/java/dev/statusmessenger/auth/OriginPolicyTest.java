package dev.statusmessenger.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  private final OriginPolicy sameOrigin = new OriginPolicy(List.of());
  private final OriginPolicy listed =
      new OriginPolicy(List.of("https://app.example.com", "http://localhost:8080"));

  @Test
  void sameOriginByDefaultComparesWithTheHostHeader() {
    assertTrue(sameOrigin.allows("http://localhost:8080", "localhost:8080"));
    assertTrue(sameOrigin.allows("https://app.example.com", "app.example.com"));
    assertTrue(sameOrigin.allows("https://app.example.com", "app.example.com:443"));
    assertTrue(sameOrigin.allows("HTTP://LocalHost:8080", "localhost:8080"));
    assertFalse(sameOrigin.allows("http://localhost:8081", "localhost:8080"));
    assertFalse(sameOrigin.allows("http://evil.com", "localhost:8080"));
    assertFalse(sameOrigin.allows("http://localhost:8080.evil.com", "localhost:8080"));
    assertFalse(sameOrigin.allows("http://localhost:8080", null));
  }

  @Test
  void anAllowlistMatchesExactlyNotByPrefix() {
    assertTrue(listed.allows("https://app.example.com", "other-host"));
    assertTrue(listed.allows("https://app.example.com:443", "other-host"));
    assertTrue(listed.allows("http://localhost:8080", "other-host"));
    assertFalse(listed.allows("https://app.example.com.evil.com", "app.example.com"));
    assertFalse(listed.allows("http://localhost:8080.evil.com", "localhost:8080"));
    assertFalse(listed.allows("http://app.example.com", "app.example.com"));
    assertFalse(listed.allows("https://evil-app.example.com", "app.example.com"));
    assertFalse(listed.allows("https://app.example.com:8443", "app.example.com"));
  }

  @Test
  void malformedOriginsAreRefusedAndAMissingOneIsLeftToTheCredential() {
    for (String bad :
        new String[] {"null", "", "app.example.com", "https://app.example.com/path",
          "https://user@app.example.com", "file://x", "javascript:alert(1)", "https://"}) {
      assertFalse(listed.allows(bad, "app.example.com"), bad);
      assertFalse(sameOrigin.allows(bad, "app.example.com"), bad);
    }
    assertTrue(sameOrigin.allows(null, "localhost:8080"));
  }
}
