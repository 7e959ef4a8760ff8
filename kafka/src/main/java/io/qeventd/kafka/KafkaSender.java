package io.qeventd.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that owns the Kafka producer: reads the spool in order, sends, and commits a line once the broker
 * has acknowledged it and every line before it. Only this thread ever waits on the network (metadata, a full
 * producer buffer); the journal's thread just appends to the spool.
 *
 * <p>When a send fails, nothing after the last acknowledged line is committed: the sender waits for what is
 * still in flight, then resends from the last acknowledged line, after a pause that grows while failures go
 * on. The broker may so receive a record twice (consumers drop duplicates by id), never lose one. A record
 * the broker can never take (larger than it accepts) is logged with its id and passed over.
 */
final class KafkaSender {
    private static final Logger log = LoggerFactory.getLogger(KafkaSender.class);
    /** Bytes sent and not yet acknowledged, at most: well under the producer's buffer, so send never waits for room. */
    private static final long WINDOW_BYTES = 8L << 20;
    private static final int WINDOW_RECORDS = 20_000;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long PERSIST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Spool spool;
    private final String topic;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Thread thread;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private Producer<String, byte[]> producer;
    private long inFlightBytes;
    /** The first failed send, once every send before it has finished: nothing after it is committed. */
    private Exception failure;
    /** A send failed: no more are sent until the window has emptied and sending starts again from the commit. */
    private boolean halted;
    private long retryAt;
    private long backoff = FIRST_BACKOFF_NANOS;
    private long lastPersist = System.nanoTime();
    private long failuresSinceLog;
    private long lastFailureLog;
    private volatile boolean failing;
    /** Why the last send failed, while sending fails; for status. */
    private volatile String lastFailure;
    private volatile boolean stopping;
    private volatile long stopDeadline;

    /** One record sent: done once the producer's callback ran. */
    private static final class InFlight {
        final long end;
        final int size;
        final String id;
        volatile boolean done;
        volatile Exception error;

        InFlight(long end, int size, String id) {
            this.end = end;
            this.size = size;
            this.id = id;
        }
    }

    KafkaSender(Spool spool, String topic, Supplier<Producer<String, byte[]>> producers) {
        this.spool = spool;
        this.topic = topic;
        this.producers = producers;
        this.thread = new Thread(this::run, "kafka-sender");
        thread.setDaemon(true);
        spool.onPublish(this::wake);
    }

    void start() {
        thread.start();
    }

    /** New lines in the spool, or a callback ran: never blocks. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** Why sending fails now, or null while it works. */
    String failingBecause() {
        return failing ? lastFailure : null;
    }

    /** Records acknowledged by the broker since start. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Records passed over because the broker would never take them. */
    long tooLarge() {
        return tooLarge.get();
    }

    /**
     * Sends what the spool holds for up to {@code drain}, then closes the producer; what is not acknowledged
     * by then stays in the spool for the next start.
     */
    void stop(Duration drain) {
        stopDeadline = System.nanoTime() + drain.toNanos();
        stopping = true;
        wake();
        try {
            thread.join(drain.toMillis() + 1000);
            if (thread.isAlive()) {
                // Waiting in send for metadata or room: an interrupt ends the wait.
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("kafka: the sender thread did not stop");
        }
    }

    private void run() {
        try (Spool.Reader reader = spool.reader()) {
            loop(reader);
        } catch (InterruptException e) {
            log.debug("kafka: sender interrupted at stop");
        } catch (RuntimeException | IOException | Error e) {
            log.error("kafka: the sender failed; records stay in the spool until the next start: {}", e.toString(), e);
        } finally {
            closeProducer(Duration.ZERO);
            complete();
            persist(true);
        }
    }

    private void loop(Spool.Reader reader) throws IOException {
        while (true) {
            complete();
            if (stopping && (System.nanoTime() - stopDeadline > 0
                    || (inFlight.isEmpty() && reader.position() >= spool.published()))) {
                return;
            }
            boolean progressed = false;
            if (failure != null || halted) {
                if (inFlight.isEmpty()) {
                    recover(reader);
                }
            } else if (System.nanoTime() - retryAt >= 0) {
                if (producer == null) {
                    try {
                        producer = producers.get();
                    } catch (RuntimeException e) {
                        // Kafka checks some settings only here, or cannot resolve a name yet: tried again later.
                        failure = e;
                        continue;
                    }
                }
                progressed = fill(reader);
            }
            persist(false);
            if (!progressed) {
                long wait = IDLE_PARK_NANOS;
                if (failure == null && retryAt - System.nanoTime() > 0) {
                    wait = Math.min(wait, retryAt - System.nanoTime());
                }
                LockSupport.parkNanos(this, wait);
                if (Thread.interrupted()) {
                    throw new InterruptException(new InterruptedException());
                }
            }
        }
    }

    /** Sends lines from the reader while the window has room; true when any was sent. */
    private boolean fill(Spool.Reader reader) throws IOException {
        boolean sent = false;
        while (!halted && inFlight.size() < WINDOW_RECORDS && inFlightBytes < WINDOW_BYTES) {
            List<Spool.Line> lines = reader.read(WINDOW_BYTES - inFlightBytes);
            if (lines.isEmpty()) {
                break;
            }
            for (Spool.Line line : lines) {
                if (!send(line)) {
                    // Nothing after a failed record goes out before it: the rest is resent from the last
                    // acknowledged line once what is in flight has finished.
                    halted = true;
                    return true;
                }
                sent = true;
            }
        }
        return sent;
    }

    private boolean send(Spool.Line line) {
        ForwardedRecord r;
        try {
            r = ForwardedRecord.parse(line.bytes());
        } catch (IllegalArgumentException e) {
            log.error("kafka: passing over a spool line that is not a record (offset {}): {}; line: {}",
                    line.end() - line.bytes().length - 1, e.getMessage(),
                    new String(line.bytes(), 0, Math.min(200, line.bytes().length), StandardCharsets.UTF_8));
            InFlight skipped = new InFlight(line.end(), 0, null);
            skipped.done = true;
            inFlight.add(skipped);
            return true;
        }
        InFlight f = new InFlight(line.end(), line.bytes().length, r.id());
        inFlight.add(f);
        inFlightBytes += f.size;
        RecordHeaders headers = new RecordHeaders();
        headers.add(ForwardedRecord.ID_HEADER, r.id().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), headers), (md, e) -> {
                f.error = e;
                f.done = true;
                wake();
            });
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            f.error = e;
            f.done = true;
        }
        // A record too large for the broker is passed over (see complete); any other failure halts sending.
        return !(f.done && f.error != null && !(f.error instanceof RecordTooLargeException));
    }

    /** Takes finished sends off the front of the window, committing while they succeeded. */
    private void complete() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
            InFlight f = inFlight.removeFirst();
            inFlightBytes -= f.size;
            Exception e = f.error;
            if (failure != null) {
                continue;
            }
            if (e == null) {
                if (f.id != null) {
                    acknowledged.incrementAndGet();
                }
                spool.commit(f.end);
                succeeded();
            } else if (e instanceof RecordTooLargeException) {
                tooLarge.incrementAndGet();
                log.error("kafka: record {} not forwarded: {}", f.id, e.getMessage());
                spool.commit(f.end);
            } else {
                failure = e;
            }
        }
    }

    private void succeeded() {
        backoff = FIRST_BACKOFF_NANOS;
        if (failing) {
            failing = false;
            log.info("kafka: forwarding to {} again ({} failure(s) before)", topic, failuresSinceLog);
            failuresSinceLog = 0;
        }
    }

    /** Everything in flight has finished after a failure: resend from the last acknowledged line, after a pause. */
    private void recover(Spool.Reader reader) {
        Exception e = failure;
        failure = null;
        halted = false;
        failuresSinceLog++;
        long now = System.nanoTime();
        if (!failing || now - lastFailureLog >= FAILURE_LOG_INTERVAL_NANOS) {
            log.warn("kafka: sending to {} failed ({} time(s)): {}; records wait in the spool, {} byte(s) not"
                            + " acknowledged", topic, failuresSinceLog, e == null ? "a send failed" : e.toString(),
                    spool.published() - spool.committed());
            lastFailureLog = now;
        }
        failing = true;
        lastFailure = e == null ? "a send failed" : e.toString();
        if (!(e instanceof RetriableException)) {
            closeProducer(Duration.ZERO);
        }
        reader.seek(spool.committed());
        retryAt = now + backoff;
        backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
    }

    private void persist(boolean now) {
        if (!now && System.nanoTime() - lastPersist < PERSIST_INTERVAL_NANOS) {
            return;
        }
        lastPersist = System.nanoTime();
        try {
            spool.persistCommitted();
        } catch (IOException e) {
            log.warn("kafka spool: cannot write the committed offset: {}", e.toString());
        }
    }

    private void closeProducer(Duration timeout) {
        if (producer == null) {
            return;
        }
        try {
            producer.close(timeout);
        } catch (KafkaException e) {
            log.debug("kafka: closing the producer: {}", e.toString());
        }
        producer = null;
        // Sends not done by now never will be: they count as failed (from the first of them on, all is resent).
        for (InFlight f : inFlight) {
            if (!f.done) {
                f.error = new KafkaException("producer closed");
                f.done = true;
            }
        }
    }
}
