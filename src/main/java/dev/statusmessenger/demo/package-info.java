/** The demo: a trip-planning agent that reports its steps to the page that started it. */
package dev.statusmessenger.demo;
