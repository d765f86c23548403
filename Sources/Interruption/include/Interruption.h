#ifndef ACCORD_INTERRUPTION_H
#define ACCORD_INTERRUPTION_H

#include <stdbool.h>

/// Whether SIGINT or SIGTERM has arrived since the program started.
bool accord_interruption_requested(void);

/// From now on a stop is only recorded, for the program to honour at a safe point; before
/// this, the handler prints the stop message and ends the program with status 130.
void accord_interruption_defer(void);

/// Replaces the message printed on an immediate stop (copied; the default is a line of
/// text, the program sets the JSON form when asked for JSON).
void accord_interruption_set_message(const char *message);

#endif
