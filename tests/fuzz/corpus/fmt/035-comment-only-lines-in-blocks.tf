terraform {
  # comment only

  // another

  /* and another */
}
