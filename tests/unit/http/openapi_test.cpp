#include "smsgw/http/openapi.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "smsgw/http/router.hpp"

namespace smsgw::http {
namespace {

using json = nlohmann::json;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const std::set<std::string> kHttpMethods{"get",     "put",  "post",  "delete",
                                         "options", "head", "patch", "trace"};

TEST(OpenApi, EmbeddedDocumentIsTheRepositoryFile) {
  std::ifstream file(std::string(SMSGW_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_TRUE(file.good());
  std::stringstream content;
  content << file.rdbuf();
  EXPECT_EQ(openapi_document(), content.str());
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedOperationIsRouted) {
  const auto document = json::parse(openapi_document());
  EXPECT_EQ(document.at("openapi").get<std::string>().substr(0, 4), "3.0.");

  std::set<std::string> routed;
  for (const auto& route : routes()) {
    routed.insert(lower(route.method) + " " + std::string(route.pattern));
  }
  std::set<std::string> documented;
  for (const auto& [path, item] : document.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      if (kHttpMethods.contains(method)) documented.insert(method + " " + path);
    }
  }
  EXPECT_EQ(routed, documented);
}

TEST(OpenApi, OpenRoutesNeedNoSecurityAndOthersDo) {
  const auto document = json::parse(openapi_document());
  EXPECT_FALSE(document.at("security").empty());
  for (const auto& route : routes()) {
    const auto& operation =
        document.at("paths").at(std::string(route.pattern)).at(lower(route.method));
    const bool open = operation.contains("security") && operation.at("security").empty();
    EXPECT_EQ(open, route.open) << route.method << " " << route.pattern;
  }
}

TEST(OpenApi, EveryReferenceResolves) {
  const auto document = json::parse(openapi_document());
  std::vector<const json*> pending{&document};
  int references = 0;
  while (!pending.empty()) {
    const json* node = pending.back();
    pending.pop_back();
    if (node->is_object()) {
      if (const auto ref = node->find("$ref"); ref != node->end()) {
        const auto pointer = ref->get<std::string>();
        ASSERT_EQ(pointer.rfind("#/", 0), 0u) << pointer;
        EXPECT_TRUE(document.contains(json::json_pointer(pointer.substr(1)))) << pointer;
        ++references;
      }
    }
    if (node->is_structured()) {
      for (const auto& child : *node) pending.push_back(&child);
    }
  }
  EXPECT_GT(references, 10);
}

}  // namespace
}  // namespace smsgw::http
