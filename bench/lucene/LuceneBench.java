// Lucene 9 reference for sahifa's search figures: ArabicAnalyzer + BM25(k1=0.9, b=0.4).
//
//   java -cp FATJAR:CLASSES LuceneBench eval  --passages P --queries Q [--parser terms|classic]
//        [--fields two|joined] [--distinct yes|no]
//   java -cp FATJAR:CLASSES LuceneBench bench --corpus C.jsonl.gz --queries Q [--docs N]
//        [--index DIR] [--ram-mb M] [--parser terms|classic]
//
// `eval` ranks the arabic-qa passages for each question and prints MRR@10, nDCG@10,
// Success@1, Recall@10 and Recall@100 (binary relevance), overall and per dataset. By default
// title and text are two fields; `--fields joined --distinct yes` is the set-up behind the
// issue's Lucene figures (one field "title text", each distinct query term once, as
// ../shared/data/arabic-qa/eval_bm25.py does).
// `bench` times indexing of the news corpus and warm query latency, on one thread.
// Both print a human summary and then one JSON line. Compiled against the Anserini fat jar
// only (Lucene 9.5.0 + Jackson); see scripts/bench-lucene.

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class LuceneBench {
  private static final String[] TWO_FIELDS = {"title", "text"};
  private static final String[] JOINED_FIELD = {"text"};
  private static final String[] METRICS = {
    "MRR@10", "nDCG@10", "Success@1", "Recall@10", "Recall@100"
  };
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("eval") || args[0].equals("bench"))) {
      System.err.println(
          "usage: LuceneBench eval --passages P --queries Q [--parser terms|classic]"
              + " [--fields two|joined] [--distinct yes|no]\n"
              + "       LuceneBench bench --corpus C.jsonl.gz --queries Q [--docs N]"
              + " [--index DIR] [--ram-mb M] [--parser terms|classic]");
      System.exit(2);
    }
    Map<String, String> opts = options(Arrays.copyOfRange(args, 1, args.length));
    System.out.printf(
        "Lucene %s, ArabicAnalyzer (default stop set), BM25Similarity(0.9, 0.4), Java %s%n",
        Version.LATEST, Runtime.version());
    if (args[0].equals("eval")) {
      eval(opts);
    } else {
      bench(opts);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got: " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) throw new IllegalArgumentException("missing --" + name);
    return v;
  }

  // ---------------------------------------------------------------------------------------
  // Queries. Both parsers give the same flat sum over (term, field) BM25 scores: Lucene 9
  // has no coord factor, so MultiFieldQueryParser's nested (title:t text:t) groups score
  // like the flat list of SHOULD clauses (same eval figures); the nested form is slower to
  // run. Repeated query terms count once per occurrence in both, unless `distinct` (terms
  // parser only).

  /** Turns a question into a Lucene query over the indexed text fields. */
  interface QueryBuilder {
    Query build(String question) throws IOException, ParseException;
  }

  static QueryBuilder queryBuilder(
      String kind, Analyzer analyzer, String[] fields, boolean distinct) {
    if (distinct && !kind.equals("terms")) {
      throw new IllegalArgumentException("--distinct yes needs --parser terms");
    }
    switch (kind) {
      case "terms":
        // Default: the analyzer's tokens (stop words removed, normalised, stemmed), each as
        // a SHOULD TermQuery on every field, in one BooleanQuery.
        return question -> {
          List<String> terms = analyze(analyzer, question);
          BooleanQuery.Builder query = new BooleanQuery.Builder();
          for (String term : distinct ? new LinkedHashSet<>(terms) : terms) {
            for (String field : fields) {
              query.add(new TermQuery(new Term(field, term)), Occur.SHOULD);
            }
          }
          return query.build();
        };
      case "classic":
        // The classic query parser on the escaped question, default operator OR.
        MultiFieldQueryParser parser = new MultiFieldQueryParser(fields, analyzer);
        return question -> parser.parse(QueryParser.escape(question));
      default:
        throw new IllegalArgumentException("--parser must be terms or classic, got: " + kind);
    }
  }

  static List<String> analyze(Analyzer analyzer, String text) throws IOException {
    List<String> terms = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) terms.add(term.toString());
      ts.end();
    }
    return terms;
  }

  /** The value of --name, one of `allowed`; the first of them when the option is absent. */
  private static String choice(Map<String, String> opts, String name, String... allowed) {
    String v = opts.getOrDefault(name, allowed[0]);
    if (!Arrays.asList(allowed).contains(v)) {
      throw new IllegalArgumentException(
          "--" + name + " must be one of " + Arrays.toString(allowed) + ", got: " + v);
    }
    return v;
  }

  static IndexWriterConfig writerConfig(Analyzer analyzer, BM25Similarity similarity) {
    return new IndexWriterConfig(analyzer)
        .setSimilarity(similarity)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
  }

  static List<JsonNode> readJsonLines(Path path) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) rows.add(JSON.readTree(line));
      }
    }
    return rows;
  }

  // ---------------------------------------------------------------------------------------
  // eval

  static void eval(Map<String, String> opts) throws Exception {
    List<JsonNode> passages = readJsonLines(Path.of(required(opts, "passages")));
    List<JsonNode> questions = readJsonLines(Path.of(required(opts, "queries")));
    String parserKind = choice(opts, "parser", "terms", "classic");
    boolean joined = choice(opts, "fields", "two", "joined").equals("joined");
    boolean distinct = choice(opts, "distinct", "no", "yes").equals("yes");
    Analyzer analyzer = new ArabicAnalyzer();
    BM25Similarity similarity = new BM25Similarity(0.9f, 0.4f);

    // One writer, passages in file order: one segment, so equal scores tie-break by file order.
    Directory dir = new ByteBuffersDirectory();
    try (IndexWriter writer = new IndexWriter(dir, writerConfig(analyzer, similarity))) {
      for (JsonNode p : passages) {
        Document doc = new Document();
        doc.add(new StringField("id", p.get("pid").asText(), Field.Store.YES));
        String title = p.path("title").asText(""), text = p.path("text").asText("");
        if (joined) {
          doc.add(new TextField("text", title + " " + text, Field.Store.NO));
        } else {
          doc.add(new TextField("title", title, Field.Store.NO));
          doc.add(new TextField("text", text, Field.Store.NO));
        }
        writer.addDocument(doc);
      }
    }

    Map<String, double[]> sums = new TreeMap<>(); // dataset -> metric sums
    Map<String, Integer> counts = new TreeMap<>();
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(similarity);
      StoredFields stored = searcher.storedFields();
      QueryBuilder builder =
          queryBuilder(parserKind, analyzer, joined ? JOINED_FIELD : TWO_FIELDS, distinct);
      for (JsonNode q : questions) {
        List<String> ranked = new ArrayList<>();
        for (ScoreDoc hit : searcher.search(builder.build(q.get("query").asText()), 100).scoreDocs) {
          ranked.add(stored.document(hit.doc).get("id"));
        }
        Set<String> positives = new HashSet<>();
        q.get("positives").forEach(p -> positives.add(p.asText()));
        double[] m = metrics(ranked, positives);
        for (String group : List.of("ALL", q.path("dataset").asText("?"))) {
          double[] s = sums.computeIfAbsent(group, g -> new double[METRICS.length]);
          for (int i = 0; i < m.length; i++) s[i] += m[i];
          counts.merge(group, 1, Integer::sum);
        }
      }
    }

    System.out.printf(
        "eval: %d passages (%s), %d questions, parser=%s, each query term %s%n",
        passages.size(),
        joined ? "one field: title + \" \" + text" : "fields title, text",
        questions.size(),
        parserKind,
        distinct ? "once" : "once per occurrence");
    ObjectNode json = JSON.createObjectNode();
    json.put("mode", "eval").put("lucene", Version.LATEST.toString()).put("parser", parserKind);
    json.put("fields", joined ? "joined" : "two").put("distinct", distinct);
    json.put("passages", passages.size()).put("queries", questions.size());
    List<String> groups = new ArrayList<>(sums.keySet());
    groups.remove("ALL");
    groups.add(0, "ALL");
    for (String group : groups) {
      int n = counts.get(group);
      StringBuilder line = new StringBuilder(String.format("%-12s n=%-5d", group, n));
      ObjectNode g = json.putObject(group);
      g.put("queries", n);
      for (int i = 0; i < METRICS.length; i++) {
        double mean = sums.get(group)[i] / n;
        line.append(String.format(" %s=%.4f", METRICS[i], mean));
        g.put(METRICS[i], Math.round(mean * 10000) / 10000.0);
      }
      System.out.println(line);
    }
    System.out.println(JSON.writeValueAsString(json));
  }

  /** MRR@10, nDCG@10 (binary gains, log2 discount, ideal from the positives), S@1, R@10, R@100. */
  static double[] metrics(List<String> ranked, Set<String> positives) {
    double rr = 0, dcg = 0, idcg = 0;
    int in10 = 0, in100 = 0;
    for (int r = 0; r < ranked.size() && r < 100; r++) {
      if (!positives.contains(ranked.get(r))) continue;
      in100++;
      if (r < 10) {
        in10++;
        dcg += 1 / log2(r + 2);
        if (rr == 0) rr = 1.0 / (r + 1);
      }
    }
    for (int r = 0; r < Math.min(positives.size(), 10); r++) idcg += 1 / log2(r + 2);
    double n = Math.max(positives.size(), 1);
    boolean first = !ranked.isEmpty() && positives.contains(ranked.get(0));
    return new double[] {rr, idcg > 0 ? dcg / idcg : 0, first ? 1 : 0, in10 / n, in100 / n};
  }

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  // ---------------------------------------------------------------------------------------
  // bench

  static void bench(Map<String, String> opts) throws Exception {
    Path corpus = Path.of(required(opts, "corpus"));
    List<JsonNode> questionRows = readJsonLines(Path.of(required(opts, "queries")));
    List<String> questions = new ArrayList<>();
    for (JsonNode q : questionRows) questions.add(q.get("query").asText());
    long limit = Long.parseLong(opts.getOrDefault("docs", String.valueOf(Long.MAX_VALUE)));
    Path indexDir = Path.of(opts.getOrDefault("index", "/tmp/sahifa-lucene-bench/index"));
    double ramMb = Double.parseDouble(opts.getOrDefault("ram-mb", "256"));
    String parserKind = choice(opts, "parser", "terms", "classic");
    Analyzer analyzer = new ArabicAnalyzer();
    BM25Similarity similarity = new BM25Similarity(0.9f, 0.4f);

    deleteTree(indexDir);
    Files.createDirectories(indexDir);
    ObjectNode json = JSON.createObjectNode();
    json.put("mode", "bench").put("lucene", Version.LATEST.toString()).put("parser", parserKind);
    try (Directory dir = FSDirectory.open(indexDir)) {
      // Merges run on the indexing thread (SerialMergeScheduler), so the whole build is one
      // thread of our code; the JVM's JIT and GC threads still run beside it.
      IndexWriterConfig config =
          writerConfig(analyzer, similarity)
              .setRAMBufferSizeMB(ramMb)
              .setMergeScheduler(new SerialMergeScheduler());
      long articles;
      double indexSecs, commitSecs, mergeSecs;
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        long t0 = System.nanoTime();
        articles = indexCorpus(writer, corpus, limit);
        long t1 = System.nanoTime();
        writer.commit();
        long t2 = System.nanoTime();
        writer.forceMerge(1);
        writer.commit();
        long t3 = System.nanoTime();
        indexSecs = (t2 - t0) / 1e9;
        commitSecs = (t2 - t1) / 1e9;
        mergeSecs = (t3 - t2) / 1e9;
      }
      double sizeMib = directoryBytes(indexDir) / (1024.0 * 1024.0);
      System.out.printf(
          "index: %d articles in %.1f s (gunzip + JSON + analysis + indexing + commit; commit"
              + " alone %.1f s), %.0f articles/s, one thread, RAM buffer %.0f MB%n",
          articles, indexSecs, commitSecs, articles / indexSecs, ramMb);
      System.out.printf(
          "forceMerge(1): %.1f s; index size %.1f MiB in %s (MMapDirectory: %s)%n",
          mergeSecs, sizeMib, indexDir, dir.getClass().getSimpleName());
      json.put("articles", articles).put("index_s", round(indexSecs, 2));
      json.put("commit_s", round(commitSecs, 2)).put("articles_per_s", Math.round(articles / indexSecs));
      json.put("merge_s", round(mergeSecs, 2)).put("index_mib", round(sizeMib, 1));

      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader); // no executor: one thread
        searcher.setSimilarity(similarity);
        QueryBuilder builder = queryBuilder(parserKind, analyzer, TWO_FIELDS, false);
        // Pass 1 warms the JVM (JIT) and the page cache; pass 2 is the figure reported.
        Pass warm = timeQueries(searcher, builder, questions);
        Pass timed = timeQueries(searcher, builder, questions);
        report("warm-up pass 1 (not the figure)", warm, null);
        report("timed pass 2 (parse + top 10 + 10 stored ids)", timed, json);
      }
    }
    System.out.println(JSON.writeValueAsString(json));
  }

  /** Streams the gzip JSON Lines corpus into the writer; returns the number of articles. */
  static long indexCorpus(IndexWriter writer, Path corpus, long limit) throws IOException {
    JsonFactory factory = JSON.getFactory();
    // One Document with reused fields, the usual Lucene bulk-indexing idiom.
    StringField id = new StringField("id", "", Field.Store.YES);
    TextField title = new TextField("title", "", Field.Store.NO);
    TextField text = new TextField("text", "", Field.Store.NO);
    Document doc = new Document();
    doc.add(id);
    doc.add(title);
    doc.add(text);
    long n = 0;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(corpus), 1 << 16);
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      for (String line; n < limit && (line = lines.readLine()) != null; ) {
        if (line.isBlank()) continue;
        String[] article = parseArticle(factory, line);
        id.setStringValue(article[0]);
        title.setStringValue(article[1]);
        text.setStringValue(article[2]);
        writer.addDocument(doc);
        n++;
      }
    }
    return n;
  }

  /** {id, title, body} of one corpus line; a body given as paragraphs is joined with "\n". */
  static String[] parseArticle(JsonFactory factory, String line) throws IOException {
    String id = "", title = "", body = "";
    try (JsonParser p = factory.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not an object: " + line);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        JsonToken value = p.nextToken();
        if (name.equals("id")) {
          id = p.getText();
        } else if (name.equals("title")) {
          title = p.getText();
        } else if (name.equals("body") && value == JsonToken.START_ARRAY) {
          List<String> paragraphs = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) paragraphs.add(p.getText());
          body = String.join("\n", paragraphs);
        } else if (name.equals("body")) {
          body = p.getText();
        } else {
          p.skipChildren();
        }
      }
    }
    return new String[] {id, title, body};
  }

  /**
   * One pass over the questions: each query's wall time and this thread's CPU time in ms, and
   * the pass's wall time. On a shared machine the CPU times show what preemption added.
   */
  record Pass(double[] ms, double[] cpuMs, double seconds) {}

  /** Where the hit ids' hashes go, so that reading them cannot be optimised away. */
  static volatile long sink;

  /** Runs every question once, one at a time, each timed from parse to the 10 stored ids. */
  static Pass timeQueries(IndexSearcher searcher, QueryBuilder builder, List<String> questions)
      throws IOException, ParseException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] ms = new double[questions.size()], cpuMs = new double[questions.size()];
    long checksum = 0;
    long start = System.nanoTime();
    for (int i = 0; i < questions.size(); i++) {
      long t = System.nanoTime(), cpu = threads.getCurrentThreadCpuTime();
      Query query = builder.build(questions.get(i));
      ScoreDoc[] hits = searcher.search(query, 10).scoreDocs;
      StoredFields stored = searcher.storedFields();
      for (ScoreDoc hit : hits) checksum += stored.document(hit.doc).get("id").hashCode();
      ms[i] = (System.nanoTime() - t) / 1e6;
      cpuMs[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
    }
    sink += checksum;
    return new Pass(ms, cpuMs, (System.nanoTime() - start) / 1e9);
  }

  /** Prints wall and CPU p50/p95/p99/max and QPS; adds them to `json` when given. */
  static void report(String name, Pass pass, ObjectNode json) {
    int n = pass.ms().length;
    double qps = n / pass.seconds();
    System.out.printf("%s: %d queries, %.0f QPS%n", name, n, qps);
    if (json != null) json.put("queries", n).put("timed_pass", 2).put("qps", Math.round(qps));
    for (String kind : List.of("wall", "cpu")) {
      double[] ms = (kind.equals("wall") ? pass.ms() : pass.cpuMs()).clone();
      Arrays.sort(ms);
      double p50 = percentile(ms, 0.50), p95 = percentile(ms, 0.95), p99 = percentile(ms, 0.99);
      System.out.printf(
          "  %-4s p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms%n",
          kind, p50, p95, p99, ms[n - 1]);
      if (json != null) {
        String prefix = kind.equals("wall") ? "" : "cpu_";
        json.put(prefix + "p50_ms", round(p50, 3)).put(prefix + "p95_ms", round(p95, 3));
        json.put(prefix + "p99_ms", round(p99, 3)).put(prefix + "max_ms", round(ms[n - 1], 3));
      }
    }
  }

  /** Same rule as examples/search_bench.rs: the element at round((n - 1) * p). */
  static double percentile(double[] sorted, double p) {
    return sorted[(int) Math.min(Math.round((sorted.length - 1) * p), sorted.length - 1)];
  }

  static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  static long directoryBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path f : (Iterable<Path>) files::iterator) total += Files.size(f);
      return total;
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
