// Command-line parsing for ticketd's programs, over CLI11: every program
// builds one CLI::App, adds its flags (one line each) and calls Parse, which
// is strict: an unknown flag, a stray argument or a malformed value stops the
// program with exit code 2 and a message; --help (-h) works on every
// (sub)command and exits 0.
//
// Adding a flag, e.g. in api/src/server_options.cc:
//   app.add_option("--access-token-ttl", options.access_token_ttl, "lifetime of ... (default 900)")
//       ->transform(cli::DecimalIn(60, 86400));
//
// Thread-safety: none needed; parsing happens once, in main().
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace ticketd::cli {

// Applies the programs' shared conventions to `app` (and to the subcommands
// added after): a flag given twice keeps its last value, as the hand-written
// parsers before CLI11 did; help text in a wider column.
void UseConventions(CLI::App& app);

// Parses argv into the variables bound to `app`. Returns the exit code when
// the program is to stop now: 0 after printing the help of the (sub)command
// to `out`, 2 after printing the problem (and where --help is) to `err`.
// nullopt: parsed, go on.
std::optional<int> Parse(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                         std::ostream& err);

// Value checks (CLI11 transforms: use with ->transform()).

// A decimal integer in [min, max], rewritten to plain digits so that CLI11's
// own conversion (strtoull base 0: "010" is octal, "-1" wraps) never differs.
CLI::Validator DecimalIn(std::uint64_t min, std::uint64_t max);

// Any text but the empty string.
CLI::Validator NonEmpty();

}  // namespace ticketd::cli
