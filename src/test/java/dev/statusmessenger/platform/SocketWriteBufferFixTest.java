package dev.statusmessenger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the response is not Payara's, the fix steps aside and says why. That it applies on the
 * Payara the product runs on is proven by {@code DeliveryIT.socketWriteBufferFixIsAppliedOnThisPayara}.
 */
class SocketWriteBufferFixTest {

  @Test
  void aResponseThatIsNotPayarasFacadeIsLeftAsItIsWithTheReason() {
    List<String> calls = new ArrayList<>();
    HttpServletResponse foreign =
        (HttpServletResponse)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> {
                  calls.add(method.getName());
                  return null;
                });

    String status = SocketWriteBufferFix.shrink(new HttpServletResponseWrapper(foreign));

    assertTrue(status.startsWith("the response " + foreign.getClass().getName() + " is not a "), status);
    assertEquals(List.of(), calls, "nothing was called on the response");
  }
}
