/* csv.h: CSV cells for spreadsheet exports, safe against formula injection. */
#ifndef SEKKAN_CSV_H
#define SEKKAN_CSV_H

struct arena;

/*
 * One cell, quoted when needed (comma, quote, CR, LF), with an apostrophe in front of text
 * that a spreadsheet would run as a formula: a first character of = + - @ (and tab or CR,
 * which some programs skip before reading the formula). Plain numbers the program wrote
 * itself go out with csv_num so they stay numbers.
 */
char	*csv_cell(struct arena *, const char *);
#endif
