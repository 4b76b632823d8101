#include "smsgw/cli/commands.hpp"
