package dev.statusmessenger.it.probe;

import dev.statusmessenger.StatusMessenger;
import jakarta.enterprise.concurrent.Asynchronous;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;

/** An agent tool with an {@code @Asynchronous} method, as a host application would write one. */
@ApplicationScoped
public class ProbeTool {

  @Inject StatusMessenger messenger;

  @Asynchronous
  public CompletableFuture<Void> report(String text) {
    messenger.status(text);
    return Asynchronous.Result.complete(null);
  }
}
