package dev.statusmessenger.it;

import dev.statusmessenger.it.probe.GreetingObserver;
import dev.statusmessenger.it.probe.ProbeResource;
import dev.statusmessenger.it.probe.ProbeTool;
import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archives the integration tests deploy: the WAR the build produced (so the tests prove the
 * artifact users run), plus, where a test needs it, a few probe classes standing in for a host
 * application's own agent code.
 */
public final class Deployments {

  /** The sample host application's name, and so its context root. */
  public static final String SAMPLE_HOST = "sample-host";

  private Deployments() {}

  /**
   * The deployment's URL over loopback. Arquillian reports the address Payara Micro gives for
   * itself, here a routed interface that accepts only about ten new connections a second; tests
   * that open many connections would measure that interface instead of the product.
   */
  public static java.net.URL loopback(java.net.URL reported) {
    try {
      return new java.net.URL(reported.getProtocol(), "127.0.0.1", reported.getPort(), reported.getFile());
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException(reported.toString(), e);
    }
  }

  /** The built WAR, as {@code mvn package} made it. */
  public static WebArchive product() {
    File war = new File(System.getProperty("status-messenger.war", "target/status-messenger.war"));
    if (!war.isFile()) {
      throw new IllegalStateException("Build the WAR first (mvn verify does): " + war);
    }
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }

  /**
   * A sample host application: the given package of its own classes plus the built library jar in
   * {@code WEB-INF/lib}, and nothing else.
   */
  public static WebArchive hostWithLibrary(Package hostClasses) {
    File jar =
        new File(System.getProperty("status-messenger.library", "target/status-messenger-library.jar"));
    if (!jar.isFile()) {
      throw new IllegalStateException("Build the library jar first (mvn verify does): " + jar);
    }
    return ShrinkWrap.create(WebArchive.class, SAMPLE_HOST + ".war").addPackage(hostClasses).addAsLibrary(jar);
  }

  /** The built WAR with the probes: host-application code that uses the Java API. */
  public static WebArchive productWithProbes() {
    return product().addPackage(ProbeResource.class.getPackage());
  }
}
