/*
** cli/init.c — `tfc init`: prepares the working directory the way scripts
** expect. There is nothing to download: the providers are built in and
** modules are loaded from their local paths.
*/
#include "cli/cli.h"
#include "eval/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void print_diags(DiagList *d, bool no_color) {
  diag_print_all(d, stdout, stderr, diag_color_enabled(stdout, no_color));
  diag_free(d);
}

int cmd_init(int argc, char **argv) {
  bool no_color = false;
  for (int i = 1; i < argc; i++)
    if (cli_flag(argv[i], "no-color")) no_color = true;
  DiagList d = {0};
  CfgModule *root = cfg_load(".", &d);
  if (diag_has_errors(&d)) {
    print_diags(&d, no_color);
    cfg_free(root);
    src_reset();
    return 1;
  }
  bool color = diag_color_enabled(stdout, no_color);
  if (mkdir(".terraform", 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "\nError: Failed to create .terraform: %s\n", strerror(errno));
    cfg_free(root);
    src_reset();
    return 1;
  }
  printf("%sInitializing the backend...%s\n", color ? "\x1b[0m\x1b[1m" : "", color ? "\x1b[0m" : "");
  if (root->ncalls) printf("%sInitializing modules...%s\n", color ? "\x1b[0m\x1b[1m" : "", color ? "\x1b[0m" : "");
  for (size_t i = 0; i < root->ncalls; i++)
    if (root->calls[i].source) printf("- %s in %s\n", root->calls[i].name, root->calls[i].child ? root->calls[i].child->dir : root->calls[i].source);
  printf("\n%sInitializing provider plugins...%s\n", color ? "\x1b[0m\x1b[1m" : "", color ? "\x1b[0m" : "");
  printf("- hashicorp/aws is built into tfc; nothing to install.\n");
  printf("\n%sTerraform has been successfully initialized!%s\n", color ? "\x1b[0m\x1b[1m\x1b[32m" : "",
         color ? "\x1b[0m" : "");
  printf("\nYou may now begin working with Terraform. Try running \"terraform plan\" to see\n"
         "any changes that are required for your infrastructure. All Terraform commands\n"
         "should now work.\n");
  print_diags(&d, no_color);
  cfg_free(root);
  src_reset();
  return 0;
}
