package dev.latchkey.testing;

import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.CredentialListener;
import java.util.ArrayList;
import java.util.List;

/** A listener that keeps every event. Thread-safe. */
public final class RecordingListener implements CredentialListener {

  private final List<CredentialEvent> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(CredentialEvent event) {
    events.add(event);
  }

  public synchronized List<CredentialEvent> events() {
    return List.copyOf(events);
  }

  public synchronized List<CredentialEvent.Type> types() {
    return events.stream().map(CredentialEvent::type).toList();
  }
}
