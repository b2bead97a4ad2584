package dev.latchkey.storage.internal;

import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazily paginated listing: the next page is fetched only when the stream needs it, so a caller
 * that stops after the first match does not list the whole container.
 */
final class PageIterator extends Spliterators.AbstractSpliterator<ListPage> {

  private final Function<ListRequest, ListPage> fetcher;
  private ListRequest next;

  private PageIterator(ListRequest first, Function<ListRequest, ListPage> fetcher) {
    super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
    this.next = first;
    this.fetcher = fetcher;
  }

  static Stream<ListPage> stream(ListRequest first, Function<ListRequest, ListPage> fetcher) {
    return StreamSupport.stream(new PageIterator(first, fetcher), false);
  }

  @Override
  public boolean tryAdvance(Consumer<? super ListPage> action) {
    if (next == null) {
      return false;
    }
    ListPage page = fetcher.apply(next);
    next = page.nextToken().map(next::withContinuationToken).orElse(null);
    action.accept(page);
    return true;
  }
}
