// The query-cleaning rules of method.md section 6.
#include <gtest/gtest.h>

#include "query.hpp"

namespace steper::frameworks {
namespace {

TEST(Query, RemovesQuestionWordsInAnyCaseWithTheirPunctuation) {
  EXPECT_EQ(remove_question_words("Who directed The Winter Affair?"), "directed The Winter Affair?");
  EXPECT_EQ(remove_question_words("Where is Brimford located?"), "Brimford located?");
  EXPECT_EQ(remove_question_words("WHAT, when, Why, which How does IS"), "");
  EXPECT_EQ(remove_question_words("Which band is   Ana   a member of?"), "band Ana a member of?");
  // Only whole words go: "Island" and "Whoopi" stay.
  EXPECT_EQ(remove_question_words("Whoopi lives on Island is"), "Whoopi lives on Island");
}

TEST(Query, ConcludingSentencesFallBackToTheQuestion) {
  EXPECT_TRUE(only_concludes("So the answer is: Paris."));
  EXPECT_TRUE(only_concludes("Thus, Paris."));
  EXPECT_TRUE(only_concludes("therefore it is Paris."));
  EXPECT_TRUE(only_concludes("Hence Paris."));
  EXPECT_TRUE(only_concludes("That is, Paris."));
  EXPECT_FALSE(only_concludes("Sochi is a city."));
  EXPECT_FALSE(only_concludes("That city is Paris."));
  EXPECT_EQ(next_query("Thus the film is French.", "Q?"), "Q?");
  EXPECT_EQ(next_query("What is it?", "Where was X born?"), "it?");
  EXPECT_EQ(next_query("Who is?", "Where was X born?"), "Where was X born?");
  EXPECT_EQ(next_query("The Winter Affair was directed by Ana Varen.", "Q?"),
            "The Winter Affair was directed by Ana Varen.");
}

}  // namespace
}  // namespace steper::frameworks
