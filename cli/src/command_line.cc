#include "ticketd/cli/command_line.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <vector>

namespace ticketd::cli {
namespace {

// "ticket-replay history": the program and the subcommands given.
std::string CommandPath(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* command = &app; !command->get_subcommands().empty();) {
    command = command->get_subcommands().front();
    path += " " + command->get_name();
  }
  return path;
}

// The arguments nothing took, in the order given (CLI11 may list them
// backwards).
std::string Leftovers(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> left = app.remaining(/*recurse=*/true);
  auto position = [&](const std::string& arg) { return std::find(argv, argv + argc, arg) - argv; };
  std::stable_sort(left.begin(), left.end(),
                   [&](const std::string& a, const std::string& b) { return position(a) < position(b); });
  std::string joined;
  for (const std::string& arg : left) joined += (joined.empty() ? "" : " ") + arg;
  return joined;
}

std::ostream& Problem(std::ostream& err, const CLI::App& app, std::string_view what) {
  return err << app.get_name() << ": " << what << "\nRun `" << CommandPath(app) << " --help` for the flags.\n";
}

}  // namespace

void UseConventions(CLI::App& app) {
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.get_formatter()->column_width(34);
}

std::optional<int> Parse(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                         std::ostream& err) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::CallForHelp&) {
    out << app.help();  // the help of the subcommand given, if any
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ExtrasError&) {
    Problem(err, app, "unknown flag or unexpected argument: " + Leftovers(app, argc, argv));
    return 2;
  } catch (const CLI::ParseError& e) {
    Problem(err, app, e.what());
    return 2;
  }
}

CLI::Validator DecimalIn(std::uint64_t min, std::uint64_t max) {
  const std::string range = "[" + std::to_string(min) + ".." + std::to_string(max) + "]";
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        std::uint64_t value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
          return "must be a whole number in " + range + ", not '" + text + "'";
        text = std::to_string(value);
        return {};
      },
      "");
}

CLI::Validator NonEmpty() {
  return CLI::Validator(
      [](std::string& text) -> std::string { return text.empty() ? "must not be empty" : std::string(); },
      "");
}

}  // namespace ticketd::cli
