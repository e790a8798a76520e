package dev.statusmessenger.it.probe;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the product's logging up to {@code FINE}, so a test that searches the server log for
 * secrets also covers the refusals logged at that level.
 */
@Path("probe/logging/fine")
public class LoggingProbe {

  private static final Logger PRODUCT = Logger.getLogger("dev.statusmessenger");

  @POST
  public Response fine() {
    PRODUCT.setLevel(Level.FINE);
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler.getLevel().intValue() > Level.FINE.intValue()) {
        handler.setLevel(Level.FINE); // other loggers keep their own INFO level
      }
    }
    return Response.noContent().build();
  }
}
