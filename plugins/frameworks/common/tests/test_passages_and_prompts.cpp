// Passage accumulation (cap, de-duplication, replace), templates and prompt rendering.
#include <gtest/gtest.h>

#include "passage_set.hpp"
#include "prompt.hpp"
#include "prompt_template.hpp"

namespace steper::frameworks {
namespace {

using Ids = std::vector<std::string>;

TEST(PassageSet, AccumulatesInRetrievalOrderWithoutDuplicatesUpToTheCap) {
  PassageSet passages(PassageMode::accumulate, 5);
  passages.add({"a", "b", "c"});
  EXPECT_EQ(passages.ids(), (Ids{"a", "b", "c"}));
  passages.add({"c", "d", "a", "e", "f", "g"});
  EXPECT_EQ(passages.ids(), (Ids{"a", "b", "c", "d", "e"}));
  passages.add({"h"});
  EXPECT_EQ(passages.ids(), (Ids{"a", "b", "c", "d", "e"}));
}

TEST(PassageSet, ReplaceKeepsOnlyTheLastStep) {
  PassageSet passages(PassageMode::replace, 2);
  passages.add({"a", "b"});
  passages.add({"c", "c", "d", "e"});
  EXPECT_EQ(passages.ids(), (Ids{"c", "d"}));
  passages.add({});
  EXPECT_TRUE(passages.ids().empty());
  PassageMode mode = PassageMode::accumulate;
  EXPECT_TRUE(passage_mode_from_string("replace", mode));
  EXPECT_EQ(mode, PassageMode::replace);
  EXPECT_FALSE(passage_mode_from_string("Replace", mode));
}

TEST(PromptTemplate, ChecksAndFillsPlaceholders) {
  EXPECT_EQ(template_problem("Title: {title}\n{text}", {"title", "text"}, {"text"}), "");
  EXPECT_EQ(template_problem("{title} {body}", {"title", "text"}, {"text"}),
            "unknown placeholder {body} (allowed: {title}, {text})");
  EXPECT_EQ(template_problem("{title}", {"title", "text"}, {"text"}), "no {text} placeholder");
  EXPECT_EQ(template_problem("{ x } {} {A} {text}", {"text"}, {"text"}), "");
  EXPECT_EQ(fill_template("[{title}] {text} {title} {other}", {{"title", "T {text}"}, {"text", "body"}}),
            "[T {text}] body T {text} {other}");
}

TEST(PromptRenderer, RendersPassagesQuestionAndPieces) {
  const Corpus corpus({{"p1", "Paris", "Paris is the capital of France. It is large."}, {"p2", "France", "France is a country."}});
  PromptRenderer renderer({"Wikipedia Title: {title}\n{text}", "Q: {question}\nA:"}, 6);
  EXPECT_EQ(renderer.prompt({"p1", "p2"}, corpus, "Where is Paris?", {}),
            "Wikipedia Title: Paris\nParis is the capital of France.\n\n"
            "Wikipedia Title: France\nFrance is a country.\n\n"
            "Q: Where is Paris?\nA:");
  EXPECT_EQ(renderer.prompt({}, corpus, "Where is Paris?", {" s1", " s2"}), "Q: Where is Paris?\nA: s1 s2");
  renderer.set_demonstrations({renderer.example({{"T", "demo text"}}, "Demo?", {" d1", " So the answer is: x."}) + "\n"});
  EXPECT_EQ(renderer.prompt({"p2"}, corpus, "Q?", {}),
            "Wikipedia Title: T\ndemo text\n\nQ: Demo?\nA: d1 So the answer is: x.\n\n\n"
            "Wikipedia Title: France\nFrance is a country.\n\nQ: Q?\nA:");
}

}  // namespace
}  // namespace steper::frameworks
