package dev.latchkey.azure.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The blocks of one Put Block / Put Block List upload: their ids and the block list document.
 *
 * <p>Block ids are Base64 of {@code <upload nonce>-<index>}, all of the same length as Blob Storage
 * requires. The nonce keeps the blocks of two concurrent uploads to one blob apart. Blocks are not
 * visible until the list is committed, so an upload that fails before the commit leaves the blob as
 * it was. The service discards uncommitted blocks after about a week. Not thread-safe.
 */
public final class BlockUpload {

  /** The maximum number of blocks of one blob. */
  public static final int MAX_BLOCKS = 50_000;

  private final String nonce = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final List<String> blockIds = new ArrayList<>();

  /**
   * Returns the id of the next block.
   *
   * @throws IllegalStateException if the blob would have more than {@link #MAX_BLOCKS} blocks
   */
  public String nextBlockId() {
    if (blockIds.size() == MAX_BLOCKS) {
      throw new IllegalStateException("Cannot upload more than " + MAX_BLOCKS
          + " blocks to one blob: raise the block size of the BlobBackend");
    }
    String raw = nonce + "-" + String.format("%06d", blockIds.size());
    String id = Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    blockIds.add(id);
    return id;
  }

  public int blockCount() {
    return blockIds.size();
  }

  /** Returns the Put Block List document that commits every block in order. */
  public byte[] blockListXml() {
    StringBuilder xml = new StringBuilder(64 + blockIds.size() * 48)
        .append("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
    for (String id : blockIds) {
      xml.append("<Latest>").append(id).append("</Latest>");
    }
    return xml.append("</BlockList>").toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads up to {@code blockSize} bytes, fewer only at the end of the stream.
   *
   * @return the bytes read; empty at the end of the stream
   */
  public static byte[] readBlock(InputStream in, int blockSize) throws IOException {
    return in.readNBytes(blockSize);
  }
}
