package org.doppel.extractors;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.DefaultParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.ParserDecorator;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Test-only parser for the child JVM (selected with {@code -Ddoppel.extractor.parser=org.doppel.extractors.HostileParser}):
 * by file name, {@code spin.txt} spins forever ignoring interrupts, {@code hog.txt} allocates until the heap is
 * exhausted, {@code crash.txt} halts the JVM with exit code 42; anything else is parsed normally.
 */
public final class HostileParser extends ParserDecorator {
    static final List<byte[]> HOARD = new ArrayList<>();

    public HostileParser() {
        super(new DefaultParser());
    }

    @Override
    public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context)
            throws IOException, SAXException, TikaException {
        String name = metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY);
        if ("spin.txt".equals(name)) {
            long x = 0;
            while (x >= 0) { // never ends, ignores interrupts
                x = (x + 1) & Long.MAX_VALUE;
                Thread.onSpinWait();
            }
        } else if ("hog.txt".equals(name)) {
            while (true) HOARD.add(new byte[1 << 20]);
        } else if ("crash.txt".equals(name)) {
            Runtime.getRuntime().halt(42);
        }
        super.parse(stream, handler, metadata, context);
    }
}
