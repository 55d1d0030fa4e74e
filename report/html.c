#include "figures.h"
int print_html(const state *s, FILE *out) { (void)s; (void)out; return 0; }
