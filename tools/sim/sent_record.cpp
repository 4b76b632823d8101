#include "sent_record.hpp"

#include <cstdio>
#include <ctime>

namespace smsgw::sim {

std::string iso8601_utc(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms.count() % 1000));
  return buffer;
}

nlohmann::json to_json(const SentRecord& record) {
  const auto& submit = record.submit;
  const auto& ud = submit.user_data;
  nlohmann::json line{
      {"modem", record.modem},
      {"imei", record.imei},
      {"time", iso8601_utc(record.time)},
      {"mr", record.mr},
      {"to", submit.to.text},
      {"encoding", pdu::to_string(ud.encoding)},
      {"srr", submit.status_report_request},
      {"pdu", record.pdu},
      {"answered", record.answered},
  };
  if (ud.encoding == pdu::Encoding::eight_bit) {
    line["data"] = pdu::to_hex(ud.data);
  } else {
    line["text"] = ud.text;
  }
  line["concat"] = ud.concat ? nlohmann::json{{"ref", ud.concat->ref},
                                              {"part", ud.concat->part},
                                              {"total", ud.concat->total}}
                             : nlohmann::json(nullptr);
  line["validity"] =
      submit.validity ? nlohmann::json(submit.validity->count()) : nlohmann::json(nullptr);
  line["class"] = ud.message_class ? nlohmann::json(*ud.message_class) : nlohmann::json(nullptr);
  return line;
}

}  // namespace smsgw::sim
