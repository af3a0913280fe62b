package id.mppdigital.catalog.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import id.mppdigital.catalog.standard.LocalizedText;
import id.mppdigital.catalog.standard.StandardContent;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Full-text search over the current version of every service standard, in process (the embedded
 * store has no text indexes, and this serves production the same way). Each text is indexed three
 * ways: stemmed Indonesian ({@code perpanjangan} finds {@code panjang}), stemmed English, and
 * lower-cased, accent-folded and unstemmed for prefixes ({@code akt} finds {@code Akta};
 * {@code pasport} needs the whole word). Every word of a query must match one of them. The index
 * is rebuilt as a whole and swapped atomically: searches never see half an update.
 */
public final class ServiceSearchIndex {

	/** A hit: the standard and how well it matched. */
	public record Hit(String standardId, float score) {
	}

	private static final String ID = "id";

	private static final String TEXT_ID = "text_id";

	private static final String TEXT_EN = "text_en";

	private static final String FOLDED = "folded";

	private final Analyzer folded = new Analyzer() {
		@Override
		protected TokenStreamComponents createComponents(String fieldName) {
			Tokenizer tokenizer = new StandardTokenizer();
			TokenStream stream = new ASCIIFoldingFilter(new LowerCaseFilter(tokenizer));
			return new TokenStreamComponents(tokenizer, stream);
		}
	};

	private final Analyzer indonesian = new IndonesianAnalyzer();

	private final Analyzer english = new EnglishAnalyzer();

	private final Analyzer perField = new PerFieldAnalyzerWrapper(this.folded,
			Map.of(TEXT_ID, this.indonesian, TEXT_EN, this.english));

	private final AtomicReference<IndexSearcher> searcher = new AtomicReference<>();

	/** Replaces the whole index with these standards (by id: the current version of each). */
	public void rebuild(Map<String, StandardContent> standards) {
		ByteBuffersDirectory directory = new ByteBuffersDirectory();
		try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(this.perField))) {
			for (Map.Entry<String, StandardContent> standard : standards.entrySet()) {
				writer.addDocument(document(standard.getKey(), standard.getValue()));
			}
			writer.commit();
			this.searcher.set(new IndexSearcher(DirectoryReader.open(directory)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Document document(String id, StandardContent standard) {
		List<LocalizedText> texts = new ArrayList<>();
		texts.add(standard.name());
		texts.add(standard.description());
		texts.add(standard.product());
		standard.requirements().forEach(requirement -> texts.add(requirement.name()));
		Document document = new Document();
		document.add(new StringField(ID, id, Field.Store.YES));
		for (LocalizedText text : texts) {
			document.add(new TextField(TEXT_ID, text.id(), Field.Store.NO));
			document.add(new TextField(FOLDED, text.id(), Field.Store.NO));
			if (text.en() != null) {
				document.add(new TextField(TEXT_EN, text.en(), Field.Store.NO));
				document.add(new TextField(FOLDED, text.en(), Field.Store.NO));
			}
		}
		return document;
	}

	/** Every standard matching all words of the query, best first (ties by id, so pages are stable). */
	public List<Hit> search(String query) {
		IndexSearcher current = this.searcher.get();
		List<String> words = terms(this.folded, FOLDED, query);
		if (current == null || words.isEmpty()) {
			return List.of();
		}
		BooleanQuery.Builder all = new BooleanQuery.Builder();
		for (String word : words) {
			BooleanQuery.Builder any = new BooleanQuery.Builder();
			any.add(new BoostQuery(new TermQuery(new Term(FOLDED, word)), 2f), BooleanClause.Occur.SHOULD);
			any.add(new PrefixQuery(new Term(FOLDED, word)), BooleanClause.Occur.SHOULD);
			for (String stem : terms(this.indonesian, TEXT_ID, word)) {
				any.add(new TermQuery(new Term(TEXT_ID, stem)), BooleanClause.Occur.SHOULD);
			}
			for (String stem : terms(this.english, TEXT_EN, word)) {
				any.add(new TermQuery(new Term(TEXT_EN, stem)), BooleanClause.Occur.SHOULD);
			}
			all.add(any.build(), BooleanClause.Occur.MUST);
		}
		return run(current, all.build());
	}

	private static List<Hit> run(IndexSearcher searcher, Query query) {
		try {
			ScoreDoc[] docs = searcher.search(query, Math.max(1, searcher.getIndexReader().numDocs())).scoreDocs;
			Map<String, Hit> hits = new LinkedHashMap<>();
			for (ScoreDoc doc : docs) {
				String id = searcher.storedFields().document(doc.doc).get(ID);
				hits.putIfAbsent(id, new Hit(id, doc.score));
			}
			List<Hit> sorted = new ArrayList<>(hits.values());
			sorted.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score())
					: a.standardId().compareTo(b.standardId()));
			return sorted;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> terms(Analyzer analyzer, String field, String text) {
		List<String> terms = new ArrayList<>();
		try (TokenStream stream = analyzer.tokenStream(field, text == null ? "" : text)) {
			CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
			stream.reset();
			while (stream.incrementToken()) {
				terms.add(term.toString());
			}
			stream.end();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return terms;
	}

}
