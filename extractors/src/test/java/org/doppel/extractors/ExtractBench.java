package org.doppel.extractors;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;

/**
 * Extraction throughput: {@code doppel} (TikaExtractor, process isolation) or {@code tika} (a bare AutoDetectParser
 * loop in this JVM, no time limit, no isolation) over every file under DIR with THREADS callers. The clock starts
 * before the first Tika object is created on both sides (Tika's parser registry, and Doppel's child JVMs, are inside
 * the timing; the JVM's own start is not). Usage: ExtractBench doppel|tika DIR [threads=2] [ocr=off]. Prints one
 * line: {@code mode=... files=N seconds=S files_per_s=F chars=C not_ok=K [documents=D ...]}.
 */
public final class ExtractBench {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        ExtractorConfig.OcrMode ocr = ExtractorConfig.OcrMode.fromLabel(args.length > 3 ? args[3] : "off");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().matches(
                    "MANIFEST.tsv|NOTICE|manifest.csv|clusters.csv|ground_truth.csv|README.txt")).sorted()
                    .collect(Collectors.toList());
        }
        AtomicLong chars = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Map<String, Integer> statuses = new TreeMap<>();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        if (mode.equals("doppel")) {
            ExtractorConfig cfg = ExtractorConfig.defaults().withTimeoutMillis(60_000).withWorkerProcesses(threads)
                    .withOcr(ocr);
            AtomicLong documents = new AtomicLong();
            try (TikaExtractor ex = new TikaExtractor(cfg)) {
                for (Path f : files) {
                    fs.add(pool.submit(() -> {
                        ExtractedDocument d = ex.extract(f, dir.relativize(f).toString());
                        if (!d.isOk()) failures.incrementAndGet();
                        for (ExtractedDocument e : d.allDocuments()) { // text of embedded documents too
                            chars.addAndGet(e.text().length());
                            documents.incrementAndGet();
                        }
                        synchronized (statuses) {
                            statuses.merge(d.status().label(), 1, Integer::sum);
                        }
                    }));
                }
                for (Future<?> f : fs) f.get();
                double parentCpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9; // this JVM only, not the children
                report(mode, files.size(), t0, chars.get(), failures.get(), "documents=" + documents + " "
                        + statuses.toString().replace(" ", "") + " workers_started=" + ex.workerProcessesStarted()
                        + String.format(Locale.ROOT, " parent_cpu_s=%.2f", parentCpu));
            }
        } else {
            AutoDetectParser parser = new AutoDetectParser();
            for (Path f : files) {
                fs.add(pool.submit(() -> {
                    Metadata md = new Metadata();
                    md.set(TikaCoreProperties.RESOURCE_NAME_KEY, f.getFileName().toString());
                    ParseContext ctx = new ParseContext();
                    ctx.set(Parser.class, parser);
                    if (ocr == ExtractorConfig.OcrMode.OFF) {
                        PDFParserConfig pdf = new PDFParserConfig();
                        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
                        TesseractOCRConfig tc = new TesseractOCRConfig();
                        tc.setSkipOcr(true);
                        ctx.set(PDFParserConfig.class, pdf);
                        ctx.set(TesseractOCRConfig.class, tc);
                    }
                    BodyContentHandler h = new BodyContentHandler(-1);
                    try (InputStream in = TikaInputStream.get(f, md)) {
                        parser.parse(in, h, md, ctx);
                        chars.addAndGet(TextNormalizer.normalize(h.toString()).length());
                    } catch (Throwable t) {
                        failures.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : fs) f.get();
            report(mode, files.size(), t0, chars.get(), failures.get(), "");
        }
        pool.shutdownNow();
        System.exit(0);
    }

    private static void report(String mode, int n, long t0, long chars, long failures, String extra) {
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "mode=%s files=%d seconds=%.2f files_per_s=%.2f chars=%d not_ok=%d %s%n",
                mode, n, sec, n / sec, chars, failures, extra);
    }
}
