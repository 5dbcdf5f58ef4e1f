package io.tracemark.localstack;

import java.io.PrintStream;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reports a service that dies while the stack runs, once, instead of failing silently. Says nothing
 * while the stack stops, nor for a service ended by Ctrl-C: the terminal sends SIGINT to the services
 * too, and they may exit before the launcher's shutdown hook has begun.
 */
final class ServiceWatch implements Runnable {
    private final Supplier<Collection<ServiceProcess>> services;
    private final BooleanSupplier stopping;
    private final PrintStream err;
    private final Set<String> reported = new HashSet<>();

    ServiceWatch(Supplier<Collection<ServiceProcess>> services, BooleanSupplier stopping, PrintStream err) {
        this.services = services;
        this.stopping = stopping;
        this.err = err;
    }

    /** Checks every service once and returns the names newly reported as stopped unexpectedly. */
    List<String> checkOnce() {
        if (stopping.getAsBoolean()) {
            return List.of();
        }
        List<ServiceProcess> now;
        try {
            now = List.copyOf(services.get());
        } catch (ConcurrentModificationException e) {
            return List.of();
        }
        return now.stream()
                .filter(p -> !p.isAlive() && !p.endedByCtrlC() && !stopping.getAsBoolean() && reported.add(p.name()))
                .peek(p -> err.println("tracemark: " + p.name() + " stopped unexpectedly (exit status "
                        + p.exitValue() + "); see " + p.log()))
                .map(ServiceProcess::name)
                .toList();
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted() && !stopping.getAsBoolean()) {
            checkOnce();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
