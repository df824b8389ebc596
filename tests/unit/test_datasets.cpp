// The dataset reader plugins (plugins/datasets/) on hand-written fixtures in each real format,
// and their errors on bad input. Goes through the plugin loader, so the plugins must be built.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "config.hpp"
#include "config_test_support.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "steper/dataset.hpp"

namespace steper {
namespace {

const std::string kPluginDir = std::string(STEPER_TEST_PLUGIN_DIR) + "/../plugins";
const std::string kFixtures = std::string(STEPER_TEST_FIXTURES) + "/datasets/";
// One folder per process: ctest runs these tests in parallel, each in its own process.
const std::filesystem::path kTemp =
    std::filesystem::temp_directory_path() / ("steper_dataset_test_" + std::to_string(::getpid()));

class DatasetPlugins : public ::testing::Test {
 protected:
  DatasetPlugins() : registry_({kPluginDir}), context_(log_, 1, "cpu", kTemp.string()) {
    std::filesystem::create_directories(kTemp);
    log_.set_sink([this](const std::string& line) { log_lines_ += line + "\n"; });
  }
  ~DatasetPlugins() override { std::filesystem::remove_all(kTemp); }

  // `settings_toml`: the body of the [dataset] table after its name.
  std::unique_ptr<Dataset> open(const std::string& name, const std::string& settings_toml) {
    const auto path = kTemp / "experiment.toml";
    std::ofstream(path) << "[dataset]\nname = \"" << name << "\"\n" << settings_toml;
    cells_.push_back(Experiment::load(path.string()).cells().front());
    Settings settings = cells_.back().settings("dataset");
    settings.require<std::string>("name");
    return registry_.create<Dataset>(name, settings, context_);
  }

  static std::string write_file(const std::string& name, const std::string& text) {
    const std::string path = (kTemp / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // The message of the std::runtime_error that reading the dev split throws.
  std::string dev_error(const std::string& name, const std::string& path) {
    auto dataset = open(name, "dev = \"" + path + "\"\n");
    try {
      dataset->questions(Split::dev);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    ADD_FAILURE() << "expected std::runtime_error reading " << path;
    return {};
  }

  PluginRegistry registry_;
  RunLog log_;
  HostContext context_;
  std::vector<Cell> cells_;  // the experiments opened, kept alive with their settings
  std::string log_lines_;
};

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST_F(DatasetPlugins, HotpotqaReadsQuestionsAndOneParagraphPerTitle) {
  auto dataset = open("hotpotqa", "train = \"" + kFixtures + "hotpotqa/train.json\"\ndev = \"" + kFixtures +
                                      "hotpotqa/dev.json\"\n");
  const std::vector<Question> dev = dataset->questions(Split::dev);
  ASSERT_EQ(dev.size(), 3u);
  EXPECT_EQ(dev[0].id, "5a8b57f25542995d1e6f1371");
  EXPECT_EQ(dev[0].text, "Were Scott Derrickson and Ed Wood of the same nationality?");
  EXPECT_EQ(dev[0].answers, std::vector<std::string>{"yes"});
  EXPECT_EQ(dev[0].supporting_paragraph_ids, (std::vector<std::string>{"Scott Derrickson", "Ed Wood"}));
  EXPECT_EQ(dev[0].type, "comparison");
  EXPECT_EQ(dev[0].hops, 2);
  EXPECT_EQ(dev[1].supporting_paragraph_ids, (std::vector<std::string>{"Kiss and Tell (1945 film)", "Shirley Temple"}));
  EXPECT_TRUE(dataset->questions(Split::test).empty());

  const std::vector<Paragraph> corpus = dataset->corpus();
  ASSERT_EQ(corpus.size(), 13u);  // 6 titles in train, 7 more in dev ("Ed Wood" is in both)
  EXPECT_EQ(corpus[0].id, "Radio City (Indian radio station)");
  EXPECT_EQ(corpus[0].text,
            "Radio City is India's first private FM radio station and was started on 3 July 2001. It broadcasts on "
            "91.1 megahertz from Mumbai.");
  const Corpus lookup(corpus);
  EXPECT_EQ(lookup[lookup.doc_of("Ed Wood (film)")].title, "Ed Wood (film)");
}

TEST_F(DatasetPlugins, HotpotqaMapsSupportingTitlesIntoAnExternalCorpus) {
  auto dataset = open("hotpotqa", "dev = \"" + kFixtures + "hotpotqa/dev.json\"\ncorpus = \"" + kFixtures +
                                      "hotpotqa/corpus.jsonl\"\n");
  const std::vector<Paragraph> corpus = dataset->corpus();
  ASSERT_EQ(corpus.size(), 6u);
  EXPECT_EQ(corpus[5].id, "wiki-105");
  const std::vector<Question> dev = dataset->questions(Split::dev);
  EXPECT_EQ(dev[0].supporting_paragraph_ids, (std::vector<std::string>{"wiki-100", "wiki-101"}));
  EXPECT_EQ(dev[2].supporting_paragraph_ids, (std::vector<std::string>{"The Hork-Bajir Chronicles", "wiki-104"}));
  EXPECT_HAS(log_lines_, "2 context paragraphs match no corpus paragraph");
}

TEST_F(DatasetPlugins, TwowikiAddsAliasesEvidenceStepsAndDeduplicatesTheCorpus) {
  auto dataset = open("twowiki", "dev = \"" + kFixtures + "twowiki/dev.json\"\nid_aliases = \"" + kFixtures +
                                     "twowiki/id_aliases.json\"\n");
  const std::vector<Question> dev = dataset->questions(Split::dev);
  ASSERT_EQ(dev.size(), 3u);
  EXPECT_EQ(dev[0].answers, (std::vector<std::string>{"Małgorzata Braunek", "Malgorzata Braunek"}));
  EXPECT_EQ(dev[1].answers,
            (std::vector<std::string>{"The Mask Of Fu Manchu", "The Mask of Fu Manchu", "Mask of Fu Manchu"}));
  EXPECT_EQ(dev[2].answers, std::vector<std::string>{"Mirosław Żuławski"});
  EXPECT_EQ(dev[0].type, "compositional");
  ASSERT_EQ(dev[0].decomposition.size(), 2u);
  EXPECT_EQ(dev[0].decomposition[0].question, "What is the director of Polish-Russian War?");
  EXPECT_EQ(dev[0].decomposition[0].answer, "Xawery Żuławski");
  EXPECT_EQ(dev[0].decomposition[0].paragraph_id, "");  // no gold paragraph is titled by the subject
  EXPECT_EQ(dev[0].decomposition[1].paragraph_id, dev[0].supporting_paragraph_ids[1]);

  const Corpus corpus(dataset->corpus());
  EXPECT_EQ(corpus.size(), 6u);  // "Maheen Khan" and "Xawery Żuławski" appear twice with the same text
  const Paragraph& xawery = corpus[corpus.doc_of(dev[0].supporting_paragraph_ids[1])];
  EXPECT_EQ(xawery.title, "Xawery Żuławski");
  EXPECT_EQ(xawery.text,
            "Xawery Żuławski (born 22 December 1971 in Warsaw) is a Polish film director. In 1995 he graduated "
            "National Film School in Łódź. He is the son of actress Małgorzata Braunek and director Andrzej Żuławski.");
  EXPECT_EQ(dev[2].supporting_paragraph_ids[0], xawery.id);
}

TEST_F(DatasetPlugins, MusiqueReadsDecompositionsAliasesAndTheCorpusUnion) {
  auto dataset = open("musique", "train = \"" + kFixtures + "musique/train.jsonl\"\ndev = \"" + kFixtures +
                                     "musique/dev.jsonl\"\n");
  const std::vector<Question> dev = dataset->questions(Split::dev);
  ASSERT_EQ(dev.size(), 2u);  // the unanswerable question is skipped
  EXPECT_EQ(dev[0].answers, (std::vector<std::string>{"blue and yellow", "yellow and blue"}));
  EXPECT_EQ(dev[0].type, "2hop");
  EXPECT_EQ(dev[0].hops, 2);
  ASSERT_EQ(dev[0].decomposition.size(), 2u);
  EXPECT_EQ(dev[0].decomposition[1].question, "What color is green between on the visible spectrum?");
  EXPECT_EQ(dev[0].supporting_paragraph_ids.size(), 2u);
  EXPECT_EQ(dev[0].decomposition[0].paragraph_id, dev[0].supporting_paragraph_ids[1]);  // idx 3, Dhaka Dynamites
  EXPECT_EQ(dev[1].type, "3hop1");
  EXPECT_EQ(dev[1].hops, 3);
  EXPECT_EQ(dev[1].decomposition[2].question, "When was the fort in Chicago built?");

  const std::vector<Paragraph> corpus = dataset->corpus();
  EXPECT_EQ(corpus.size(), 10u);
  int greens = 0;
  for (const Paragraph& paragraph : corpus) greens += paragraph.title == "Green";
  EXPECT_EQ(greens, 2);  // same title, different texts: two paragraphs
  const Corpus lookup(corpus);
  for (const Question& question : dev)
    for (const std::string& id : question.supporting_paragraph_ids) EXPECT_TRUE(lookup.contains(id)) << id;

  auto full = open("musique", "dev = \"" + kFixtures + "musique/dev.jsonl\"\nanswerable_only = false\n");
  const std::vector<Question> all = full->questions(Split::dev);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].decomposition[1].paragraph_id, "");
  EXPECT_EQ(all[2].decomposition[1].question, "Who founded Apple?");
}

TEST_F(DatasetPlugins, MusiqueMatchesAnExternalCorpusByContentThenByUniqueTitle) {
  auto dataset = open("musique", "dev = \"" + kFixtures + "musique/dev.jsonl\"\ncorpus = \"" + kFixtures +
                                     "musique/corpus.jsonl\"\n");
  EXPECT_EQ(dataset->corpus().size(), 4u);
  const std::vector<Question> dev = dataset->questions(Split::dev);
  EXPECT_EQ(dev[0].supporting_paragraph_ids, (std::vector<std::string>{"m-1", "m-3"}));  // "Green" by its text
  EXPECT_EQ(dev[0].decomposition[0].paragraph_id, "m-3");
  EXPECT_EQ(dev[1].supporting_paragraph_ids,
            (std::vector<std::string>{"Mississippi River Valley", "Fort Dearborn", "m-4"}));  // "Chicago" by title
  EXPECT_HAS(log_lines_, "match no corpus paragraph");
}

TEST_F(DatasetPlugins, IrcotJsonlReadsAnswerObjectsAndReasoningSteps) {
  auto dataset = open("ircot_jsonl", "dev = \"" + kFixtures + "ircot/dev.jsonl\"\n");
  const std::vector<Question> dev = dataset->questions(Split::dev);
  ASSERT_EQ(dev.size(), 3u);
  EXPECT_EQ(dev[0].answers, std::vector<std::string>{"yes"});
  EXPECT_EQ(dev[0].type, "comparison");
  EXPECT_EQ(dev[1].answers, std::vector<std::string>{"19 June 2013"});
  EXPECT_EQ(dev[2].answers, (std::vector<std::string>{"8", "eight"}));
  ASSERT_EQ(dev[1].decomposition.size(), 3u);
  EXPECT_EQ(dev[1].decomposition[0].answer, "The film Hypocrite was directed by Miguel Morayta.");
  EXPECT_EQ(dev[1].decomposition[0].paragraph_id, dev[1].supporting_paragraph_ids[0]);
  EXPECT_EQ(dev[1].decomposition[2].paragraph_id, "");
  EXPECT_EQ(dev[1].hops, 2);
  EXPECT_EQ(dataset->corpus().size(), 7u);  // "Tyler Bates" is shared

  auto external = open("ircot_jsonl", "dev = \"" + kFixtures + "ircot/dev.jsonl\"\ncorpus = \"" + kFixtures +
                                          "hotpotqa/corpus.jsonl\"\n");
  EXPECT_EQ(external->questions(Split::dev)[0].supporting_paragraph_ids,
            (std::vector<std::string>{"wiki-100", "wiki-101"}));
}

TEST_F(DatasetPlugins, SubsamplesEachSplitWithASeededShuffleInFileOrder) {
  const std::string files = "train = \"" + kFixtures + "musique/train.jsonl\"\ndev = \"" + kFixtures +
                            "musique/dev.jsonl\"\nanswerable_only = false\n";
  std::set<std::vector<std::string>> selections;
  const std::vector<Question> all = open("musique", files)->questions(Split::dev);
  for (int seed = 0; seed < 8; ++seed) {
    auto dataset = open("musique", files + "n = 2\nseed = " + std::to_string(seed) + "\n");
    const std::vector<Question> dev = dataset->questions(Split::dev);
    ASSERT_EQ(dev.size(), 2u);
    const auto position = [&](const Question& q) {
      return std::find_if(all.begin(), all.end(), [&](const Question& a) { return a.id == q.id; }) - all.begin();
    };
    EXPECT_LT(position(dev[0]), position(dev[1]));
    EXPECT_EQ(dataset->questions(Split::train).size(), 1u);
    EXPECT_EQ(dataset->corpus().size(), 10u);  // the corpus comes from the whole splits
    selections.insert({dev[0].id, dev[1].id});
    EXPECT_EQ(open("musique", files + "n = 2\nseed = " + std::to_string(seed) + "\n")->questions(Split::dev)[0].id,
              dev[0].id);
  }
  EXPECT_GT(selections.size(), 1u);
  EXPECT_EQ(open("musique", files + "n = 1\nn_dev = 0\n")->questions(Split::dev).size(), 3u);
}

TEST_F(DatasetPlugins, ConstructorChecksFilesAndSettingsButReadsNothing) {
  try {
    open("musique", "dev = \"" + kFixtures + "musique/absent.jsonl\"\n");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_HAS(e.what(), "dev");
    EXPECT_HAS(e.what(), "musique/absent.jsonl");
  }
  EXPECT_THROW(open("musique", "corpus = \"" + kFixtures + "musique/absent.jsonl\"\n"), ConfigError);
  EXPECT_THROW(open("musique", "n_dev = 5\nn_tset = 5\n"), ConfigError);  // unknown keys are rejected
  EXPECT_THROW(open("hotpotqa", "n = -1\n"), ConfigError);
  const std::string bad = write_file("unread.jsonl", "not json at all\n");
  auto dataset = open("musique", "dev = \"" + bad + "\"\n");
  EXPECT_THROW(dataset->corpus(), std::runtime_error);
}

TEST_F(DatasetPlugins, FingerprintFollowsFileSizes) {
  const std::string path = write_file("fingerprint.jsonl", "");
  const std::string before = open("musique", "dev = \"" + path + "\"\n")->fingerprint();
  EXPECT_HAS(before, path + "=0:");
  write_file("fingerprint.jsonl", "\n\n");
  EXPECT_NE(open("musique", "dev = \"" + path + "\"\n")->fingerprint(), before);
}

TEST_F(DatasetPlugins, JsonlErrorsNameFileLineFieldAndExpectation) {
  const std::string good = R"({"id": "2hop__1_2", "question": "Q?", "answer": "A", "paragraphs": []})";
  std::string message = dev_error("musique", write_file("truncated.jsonl", good + "\n{\"id\": \"2hop__3\", \"question\": \n"));
  EXPECT_HAS(message, "truncated.jsonl', line 2");
  EXPECT_HAS(message, "malformed JSON");

  message = dev_error("musique", write_file("number.jsonl", R"({"id": "x", "question": "Q?", "answer": 5, "paragraphs": []})"));
  EXPECT_HAS(message, "number.jsonl', line 1, column 41, field 'answer': expected a string, found a number");

  message = dev_error("musique", write_file("missing.jsonl", good + "\n\n" + R"({"id": "x", "answer": "A", "paragraphs": []})"));
  EXPECT_HAS(message, "missing.jsonl', line 3");
  EXPECT_HAS(message, "field 'question': missing required field");

  message = dev_error("ircot_jsonl",
                      write_file("flag.jsonl", R"({"question_id": "q", "question_text": "Q?", "answers_objects": [], )"
                                               R"("contexts": [{"idx": 0, "title": "T", "paragraph_text": "P", "is_supporting": "yes"}]})"));
  EXPECT_HAS(message, "field 'contexts[i].is_supporting': expected true or false, found a string");

  message = dev_error("musique", write_file("step.jsonl", R"({"id": "x", "question": "Q?", "answer": "A", "paragraphs": [], )"
                                                          R"("question_decomposition": [{"question": "q", "answer": "a", "paragraph_support_idx": 4}]})"));
  EXPECT_HAS(message, "no paragraph has idx 4");

  message = dev_error("musique", write_file("idx.jsonl", R"({"id": "x", "question": "Q?", "answer": "A", "paragraphs": [)"
                                                         R"({"idx": 3, "title": "T", "paragraph_text": "P"}, )"
                                                         R"({"idx": 3, "title": "U", "paragraph_text": "R"}]})"));
  EXPECT_HAS(message, "idx.jsonl', line 1");
  EXPECT_HAS(message, "field 'paragraphs[i].idx': idx 3 is given to two paragraphs");
}

// Questions keyed by id twice, or that can never be scored, are read with a warning naming the
// split, the file and the first such question.
TEST_F(DatasetPlugins, WarnsAboutRepeatedIdsAndQuestionsWithoutAnswers) {
  const auto record = [](const std::string& id, const std::string& answers) {
    return R"({"question_id": ")" + id + R"(", "question_text": "Q?", "answers_objects": [)" + answers +
           R"(], "contexts": [{"idx": 0, "title": "T", "paragraph_text": "P", "is_supporting": true}]})" + "\n";
  };
  const std::string answer = R"({"number": "", "date": {"day": "", "month": "", "year": ""}, "spans": ["yes"]})";
  const std::string train = write_file("train.jsonl", record("a", answer) + record("b", answer));
  const std::string test =
      write_file("test.jsonl", record("c", answer) + record("c", answer) + record("d", "") + record("b", answer));
  auto dataset = open("ircot_jsonl", "train = \"" + train + "\"\ntest = \"" + test + "\"\n");
  EXPECT_EQ(dataset->questions(Split::test).size(), 4u);
  EXPECT_HAS(log_lines_, "test '" + test + "': 1 question repeats the id of an earlier question (first: 'c')");
  EXPECT_HAS(log_lines_, "test '" + test + "': 1 question shares its id with a question of an earlier split (first: 'b')");
  EXPECT_HAS(log_lines_, "test '" + test + "': 1 question has no answer (first: 'd'); never scored correct");
  EXPECT_EQ(log_lines_.find("train '" + train + "': 1"), std::string::npos) << log_lines_;
}

// A supporting fact whose sentence index lies outside its paragraph (public HotpotQA files hold
// a few) keeps the question and is counted in one warning naming the first.
TEST_F(DatasetPlugins, WarnsAboutSupportingSentencesOutsideTheirParagraph) {
  const auto record = [](const std::string& id, int sentence) {
    return R"({"_id": ")" + id + R"(", "type": "bridge", "question": "Q?", "answer": "A", "supporting_facts": [["T", 0], ["U", )" +
           std::to_string(sentence) + R"(]], "context": [["T", ["One.", " Two."]], ["U", ["Three."]]]})";
  };
  for (const char* name : {"hotpotqa", "twowiki"}) {
    log_lines_.clear();
    const std::string dev = write_file(std::string(name) + "_dev.json",
                                       "[" + record("a", 0) + ", " + record("b", 1) + ", " + record("c", -1) + "]");
    auto dataset = open(name, "dev = \"" + dev + "\"\n");
    const auto questions = dataset->questions(Split::dev);
    ASSERT_EQ(questions.size(), 3u) << name;
    EXPECT_EQ(questions[1].supporting_paragraph_ids.size(), 2u) << name;
    EXPECT_HAS(log_lines_, "dev '" + dev + "': 2 supporting facts name a sentence outside their paragraph (first: question 'b': ['U', 1] in a paragraph of 1 sentence)");
  }
}

// Found by fuzz_musique: malformed text where null may stand ended the process with simdjson's
// own exception; it is now the field's clear error.
TEST_F(DatasetPlugins, MalformedNullIsAClearError) {
  const std::string message = dev_error(
      "musique", write_file("nul.jsonl", R"({"id": "2hop__1_2", "question": "Q?", "answer": "A", "paragraphs": [], )"
                                         R"("question_decomposition": [{"paragraph_support_idx": nul}]})" "\n"));
  EXPECT_HAS(message, "nul.jsonl', line 1");
  EXPECT_HAS(message, "question_decomposition[i].paragraph_support_idx");
}

TEST_F(DatasetPlugins, TextAfterARecordOrTheArrayIsAnError) {
  const std::string good = R"({"id": "2hop__1_2", "question": "Q?", "answer": "A", "paragraphs": []})";
  std::string message = dev_error("musique", write_file("two.jsonl", good + "\n" + good + " " + good + "\n"));
  EXPECT_HAS(message, "two.jsonl', line 2, column " + std::to_string(good.size() + 2) +
                          ": unexpected text after the record (one JSON object per line)");
  message = dev_error("musique", write_file("junk.jsonl", good + " junk\n"));
  EXPECT_HAS(message, "junk.jsonl', line 1");
  EXPECT_HAS(message, "unexpected text after the record");
  const std::string array = R"([{"_id": "a", "question": "Q?", "answer": "A", "context": []}])";
  message = dev_error("hotpotqa", write_file("tail.json", array + "\n[]"));
  EXPECT_HAS(message, "tail.json', byte " + std::to_string(array.size() + 1) + ": unexpected text after the array");
}

TEST_F(DatasetPlugins, FilesThatAreNotRegularFilesAreRefusedUnread) {
  for (const char* name : {"musique", "hotpotqa"})
    EXPECT_HAS(testing::config_error([&] { open(name, "dev = \"/dev/zero\"\n"); }),
               "expected the path of an existing regular file (not a regular file: '/dev/zero')");
}

TEST_F(DatasetPlugins, JsonErrorsNameTheByteOffset) {
  const std::string text = R"([{"_id": "a", "question": "Q?", "answer": "A", "context": [["Title", "not sentences"]]}])";
  std::string message = dev_error("hotpotqa", write_file("sentences.json", text));
  EXPECT_HAS(message, "sentences.json', byte " + std::to_string(text.find("\"not sentences\"")));
  EXPECT_HAS(message, "expected an array, found a string");

  message = dev_error("hotpotqa", write_file("object.json", R"({"_id": "a"})"));
  EXPECT_HAS(message, "object.json', byte 0: expected a JSON array of questions");

  message = dev_error("hotpotqa", write_file("truncated.json", R"([{"_id": "a", "question": "Q?", "answer": "A", "context": []},
 {"_id": "b", "question": "What about [brackets] and \"quotes\"?)"));
  EXPECT_HAS(message, "truncated.json', byte 64: unterminated question object");

  const std::string second = R"([{"_id": "a", "question": "Q?", "answer": "A", "context": []}, {"_id": "b", "question": "Q?", "context": []}])";
  message = dev_error("twowiki", write_file("no_answer.json", second));
  EXPECT_HAS(message, "byte " + std::to_string(second.find("{\"_id\": \"b\"")) + ", field 'answer': missing required field");

  message = dev_error("hotpotqa", write_file("gold.json", R"([{"_id": "a", "question": "Q?", "answer": "A", )"
                                                          R"("supporting_facts": [["Elsewhere", 0]], "context": [["Title", ["S."]]]}])"));
  EXPECT_HAS(message, "title 'Elsewhere' is not among the question's context titles");
}

TEST_F(DatasetPlugins, ReadsJsonlLinesLongerThanTheReadBlock) {
  const std::string long_text(5'000'000, 'x');  // the reader reads 4 MB blocks
  const std::string path = write_file("long.jsonl", "{\"id\": \"1\", \"title\": \"A\", \"text\": \"" + long_text +
                                                        "\"}\n{\"id\": \"2\", \"title\": \"B\", \"text\": \"b\"}");
  const std::vector<Paragraph> corpus = open("hotpotqa", "corpus = \"" + path + "\"\n")->corpus();
  ASSERT_EQ(corpus.size(), 2u);
  EXPECT_EQ(corpus[0].text, long_text);
  EXPECT_EQ(corpus[1].text, "b");
}

TEST_F(DatasetPlugins, CorpusFileErrors) {
  const std::string dev = "dev = \"" + kFixtures + "hotpotqa/dev.json\"\n";
  auto duplicated = open("hotpotqa", dev + "corpus = \"" +
                                         write_file("dup.jsonl", "{\"id\": \"1\", \"title\": \"A\", \"text\": \"a\"}\n"
                                                                 "{\"id\": \"1\", \"title\": \"B\", \"text\": \"b\"}\n") + "\"\n");
  try {
    duplicated->corpus();
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_HAS(e.what(), "paragraph id '1' appears more than once");
  }
  auto untexted = open("hotpotqa", dev + "corpus = \"" + write_file("notext.jsonl", "{\"id\": \"1\", \"title\": \"A\"}\n") + "\"\n");
  try {
    untexted->corpus();
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_HAS(e.what(), "notext.jsonl', line 1, column 1, field 'text': missing required field");
  }
}

}  // namespace
}  // namespace steper
