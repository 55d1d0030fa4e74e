#include "figures.h"
int print_json(const state *s, FILE *out) { (void)s; (void)out; return 0; }
