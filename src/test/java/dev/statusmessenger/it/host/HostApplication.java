package dev.statusmessenger.it.host;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The sample host application's own JAX-RS application, as a team would write it: scanned. */
@ApplicationPath("host")
public class HostApplication extends Application {}
