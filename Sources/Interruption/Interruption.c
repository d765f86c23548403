// Ctrl-C and SIGTERM for accord, in C so that the handler is installed before anything
// else runs (a constructor, while the program is loaded) and does nothing but what is safe
// in a signal handler: set a flag, or write(2) and _exit(2).
#include "Interruption.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t requested = 0;
static volatile sig_atomic_t deferred = 0;

static const char default_message[] = "accord: interrupted: nothing was changed.\n";
static const char *volatile message = default_message;
static volatile size_t message_length = sizeof default_message - 1;

static void handle(int signal) {
  (void)signal;
  requested = 1;
  if (deferred) return;
  ssize_t written = write(STDERR_FILENO, message, message_length);
  (void)written;
  _exit(130);
}

__attribute__((constructor)) static void install(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handle;
  sigemptyset(&action.sa_mask);
  // Restart reads and writes a signal interrupts; a sleep is cut short all the same.
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
}

bool accord_interruption_requested(void) { return requested != 0; }

void accord_interruption_defer(void) { deferred = 1; }

void accord_interruption_set_message(const char *text) {
  size_t length = strlen(text);
  char *copy = malloc(length + 2);
  if (copy == NULL) return;
  memcpy(copy, text, length);
  copy[length] = '\n';
  copy[length + 1] = '\0';
  // Block the signals while the two fields change, so the handler never sees half of it.
  sigset_t block, previous;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &previous);
  message = copy;
  message_length = length + 1;
  sigprocmask(SIG_SETMASK, &previous, NULL);
}
