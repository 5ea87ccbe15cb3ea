package org.doppel.job.decide;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.doppel.model.EmbedderConfig;

/**
 * One calibrated decision per candidate pair: a logistic model over the pair's evidence (document cosine,
 * best passage, coverage of each side, lexical resemblance and containment) whose output, {@code score}, is
 * the estimated probability that the two texts are near-duplicates. {@code --threshold} applies to it.
 *
 * <p>The weights depend on the length of the shorter text: what is evidence for a 200-word answer (a tenth of
 * its 3-word phrases shared, one matching window) is chance for two 5,000-word manuals of the same family,
 * whose duplicates instead show matching windows over most of their length. So there are two weight sets,
 * {@code shortWeights} (with {@code shortBias}) and {@code longWeights}, blended by {@code lambda}: 0 up to
 * {@code shortWords} words, 1 from {@code longWords} on, linear in log(words) between.
 * The parameters are fitted by {@code scripts/fit-decision} on the shared labelled sets and shipped per
 * embedding model as {@code decision/<model>.json}; they also fix the candidate stages (the document
 * cosine above which pairs are candidates, the window cosine counted as a matching passage).
 *
 * <p>Rules outside the model, for texts too short for statistics: a pair where either text has fewer than
 * {@code minTerms} words is never decided (not even as same-normalised-text copies); a pair where either has
 * fewer than {@code shortTerms} words also needs lexical resemblance of at least {@code shortResemblance}.
 *
 * <p>Evidence is judged against what unrelated documents of the corpus at hand score. {@code background} holds,
 * for the sets the weights were fitted on, the median document cosine and the 95th percentile of lexical
 * containment between random document pairs; {@code corpus} the same measured on this run ({@link Background}).
 * Where the corpus's are higher (text the model reads poorly: another script, a narrow domain, noise, where every
 * document "looks alike" to it; or scripts whose character shingles recur by chance), each measure the decision
 * uses is first mapped linearly from [corpus background, 1] onto [fitted background, 1]: document and passage
 * cosines (with the candidate and passage-match floors and the hub guard), and resemblance and containment.
 * Where the embedding is blind (its background near 1) that leaves the wording to carry the pair. Where the
 * corpus's backgrounds are not higher, measures are used as they are.
 */
public record Decision(int version, String model, double candidateCosine, double passageMatch,
                       int shortWords, int longWords, Map<String, Double> shortWeights, Map<String, Double> longWeights,
                       double shortBias, double bias, double lexicalStrong, double semanticStrong,
                       double guardCosine, double guardContainment, int minTerms, int shortTerms,
                       double shortResemblance, double defaultThreshold, Background background,
                       Background corpus, Map<String, Object> fit)
    implements Serializable {

  /** The features, in the order the fit script writes them; each a function of the evidence. */
  public static final List<String> FEATURES = List.of("cosine", "best_passage", "coverage_min", "coverage_max",
      "resemblance", "containment_min", "containment_max");

  public static final String RESOURCE_DIR = "/decision/";

  public double feature(String name, PairEvidence e) {
    return switch (name) {
      case "cosine" -> calibrated(e.cosine());
      case "best_passage" -> calibrated(e.bestPassage());
      case "coverage_min" -> Math.min(e.coverageA(), e.coverageB());
      case "coverage_max" -> Math.max(e.coverageA(), e.coverageB());
      case "resemblance" -> lexical(e.resemblance());
      case "containment_min" -> lexical(Math.min(e.containmentA(), e.containmentB()));
      case "containment_max" -> lexical(Math.max(e.containmentA(), e.containmentB()));
      default -> throw new IllegalArgumentException("unknown decision feature " + name);
    };
  }

  /** Is the corpus's cosine background above the fitted one, so that cosines are mapped before they are used? */
  public boolean calibratingCosine() {
    return background != null && corpus != null && corpus.cosine() > background.cosine();
  }

  /** Is the corpus's containment background above the fitted one, so that lexical measures are mapped? */
  public boolean calibratingLexical() {
    return background != null && corpus != null && corpus.containment() > background.containment();
  }

  /** A raw cosine on the scale the weights were fitted on: [corpus background, 1] mapped onto [fitted background, 1]. */
  public double calibrated(double raw) {
    if (!calibratingCosine() || raw >= 1) return raw;
    return background.cosine() + (raw - corpus.cosine()) / (1 - corpus.cosine()) * (1 - background.cosine());
  }

  /** The raw cosine that {@link #calibrated} maps onto {@code c}. */
  public double raw(double c) {
    if (!calibratingCosine() || c >= 1) return c;
    return corpus.cosine() + (c - background.cosine()) / (1 - background.cosine()) * (1 - corpus.cosine());
  }

  /** A resemblance or containment on the fit's scale (chance overlap of this corpus mapped onto the fit's; >= 0). */
  public double lexical(double raw) {
    if (!calibratingLexical() || !(raw < 1)) return raw;
    double b = corpus.containment(), f = background.containment();
    return Math.max(0, f + (raw - b) / (1 - b) * (1 - f));
  }

  /** The raw document cosine from which pairs are semantic candidates. */
  public double searchCosine() {
    return raw(candidateCosine);
  }

  /** The raw window cosine from which a window counts as matched (coverage). */
  public double rawPassageMatch() {
    return raw(passageMatch);
  }

  /** How far the shorter text is into the long regime: 0 up to shortWords, 1 from longWords, log-linear between. */
  public double lambda(int words) {
    if (words <= shortWords) return 0;
    if (words >= longWords) return 1;
    return Math.log(words / (double) shortWords) / Math.log(longWords / (double) shortWords);
  }

  /** The estimated probability that the pair is a near-duplicate, in [0, 1]. */
  public double score(PairEvidence e) {
    int words = Math.min(e.termsA(), e.termsB());
    if (words < minTerms) return 0;
    double lambda = lambda(words);
    double z = bias + (1 - lambda) * shortBias;
    for (Map.Entry<String, Double> w : shortWeights.entrySet()) z += (1 - lambda) * w.getValue() * feature(w.getKey(), e);
    for (Map.Entry<String, Double> w : longWeights.entrySet()) z += lambda * w.getValue() * feature(w.getKey(), e);
    double p = 1 / (1 + Math.exp(-z));
    return Math.min(e.termsA(), e.termsB()) < shortTerms && lexical(e.resemblance()) < shortResemblance ? 0 : p;
  }

  /** Which evidence carried a decided pair: lexical, semantic, or both (each strong, or neither strong alone). */
  public String method(PairEvidence e) {
    boolean lexical = lexical(Math.max(e.containmentA(), e.containmentB())) >= lexicalStrong;
    boolean semantic = calibrated(e.cosine()) >= semanticStrong;
    if (lexical && !semantic) return PairRow.LEXICAL;
    if (semantic && !lexical) return PairRow.SEMANTIC;
    return PairRow.BOTH;
  }

  /** The decision in words, for the pairs report's {@code reason} column. */
  public String reason(PairEvidence e, double score, double threshold) {
    String why = String.format(Locale.ROOT, "p %.3f >= %.2f: cosine %.3f, best passage %.3f, coverage %.2f/%.2f, "
            + "lexical resemblance %.2f, containment %.2f/%.2f", score, threshold, e.cosine(), e.bestPassage(),
        e.coverageA(), e.coverageB(), e.resemblance(), e.containmentA(), e.containmentB());
    if (calibratingCosine()) {
      why += String.format(Locale.ROOT, "; unrelated documents of this corpus score cosine %.3f (the model reads its "
          + "text poorly), so cosines count as calibrated: cosine %.3f, best passage %.3f", corpus.cosine(),
          calibrated(e.cosine()), calibrated(e.bestPassage()));
    }
    if (calibratingLexical()) {
      why += String.format(Locale.ROOT, "; unrelated documents of this corpus share up to %.2f of their shingles by "
          + "chance, so containment counts as %.2f/%.2f", corpus.containment(), lexical(e.containmentA()),
          lexical(e.containmentB()));
    }
    if (calibratingCosine() && PairRow.LEXICAL.equals(method(e))) why += "; the pair rests on lexical evidence";
    return why;
  }

  /** Is this member close enough to its cluster's kept document (the hub guard)? */
  public boolean guardAdmits(double cosine, double containment) {
    return calibrated(cosine) >= guardCosine || lexical(containment) >= guardContainment;
  }

  /** The same parameters with another candidate-cosine floor (to collect evidence for fitting, or for more recall). */
  public Decision withCandidateCosine(double c) {
    return new Decision(version, model, c, passageMatch, shortWords, longWords, shortWeights, longWeights, shortBias, bias,
        lexicalStrong, semanticStrong, guardCosine, guardContainment, minTerms, shortTerms, shortResemblance,
        defaultThreshold, background, corpus, fit);
  }

  /** The same parameters, judging evidence against this corpus's background (see {@link Background}). */
  public Decision withCorpus(Background measured) {
    return new Decision(version, model, candidateCosine, passageMatch, shortWords, longWords, shortWeights, longWeights,
        shortBias, bias, lexicalStrong, semanticStrong, guardCosine, guardContainment, minTerms, shortTerms,
        shortResemblance, defaultThreshold, background, measured, fit);
  }

  /** The same parameters fitted at another background (null: evidence is always used as it is). */
  public Decision withFitted(Background fitted) {
    return new Decision(version, model, candidateCosine, passageMatch, shortWords, longWords, shortWeights, longWeights,
        shortBias, bias, lexicalStrong, semanticStrong, guardCosine, guardContainment, minTerms, shortTerms,
        shortResemblance, defaultThreshold, fitted, corpus, fit);
  }

  /** The same parameters with other hub-guard bounds. */
  public Decision withGuard(double cosine, double containment) {
    return new Decision(version, model, candidateCosine, passageMatch, shortWords, longWords, shortWeights, longWeights,
        shortBias, bias, lexicalStrong, semanticStrong, cosine, containment, minTerms, shortTerms, shortResemblance,
        defaultThreshold, background, corpus, fit);
  }

  /**
   * The parameters for a model option (null = the default model): those shipped for it (a Hugging Face
   * folder is looked up by its folder name), else null.
   */
  public static Decision shippedFor(String modelOption) {
    if (modelOption == null) return forModel(EmbedderConfig.DEFAULT_MODEL);
    return forModel(Path.of(modelOption).getFileName().toString());
  }

  /** The parameters shipped for a model id, or null. */
  public static Decision forModel(String modelId) {
    String name = RESOURCE_DIR + modelId + ".json";
    try (InputStream in = Decision.class.getResourceAsStream(name)) {
      if (in == null) return null;
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read decision parameters " + name, e);
    }
  }

  public static Decision read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  public static Decision read(InputStream in) throws IOException {
    ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    Decision d = json.readValue(in, Decision.class);
    if (d.shortWeights == null || d.longWeights == null || d.shortWords < 1 || d.longWords <= d.shortWords) {
      throw new IOException("decision parameters need shortWeights, longWeights and 0 < shortWords < longWords");
    }
    for (String f : concat(d.shortWeights.keySet(), d.longWeights.keySet())) {
      if (!FEATURES.contains(f)) throw new IOException("unknown feature '" + f + "' in decision parameters");
    }
    return new Decision(d.version, d.model, d.candidateCosine, d.passageMatch, d.shortWords, d.longWords,
        new LinkedHashMap<>(d.shortWeights), new LinkedHashMap<>(d.longWeights), d.shortBias, d.bias, d.lexicalStrong,
        d.semanticStrong, d.guardCosine, d.guardContainment, d.minTerms, d.shortTerms, d.shortResemblance,
        d.defaultThreshold, d.background, null, d.fit == null ? Map.of() : new LinkedHashMap<>(d.fit));
  }

  private static List<String> concat(java.util.Collection<String> a, java.util.Collection<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
