package io.qeventd.runtime.work;

/**
 * A domain's job (libvirt's {@code virDomainObjBeginJob}): a processor runs holding it. Unlike a lock it is held
 * by a token, not a thread, so that the runtime can take it back from a processor that never returns (a wedged
 * plugin) and let the domain's other handlers go on.
 */
public final class DomainJob {
    private Object holder;

    /** Waits for the job and takes it; the returned token releases it. */
    public synchronized Object acquire() {
        boolean interrupted = false;
        while (holder != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        holder = new Object();
        return holder;
    }

    /** Releases the job if {@code token} still holds it; a token the job was taken back from does nothing. */
    public synchronized void release(Object token) {
        if (holder == token) {
            holder = null;
            notifyAll();
        }
    }

    public synchronized boolean isHeld() {
        return holder != null;
    }
}
