// The source tree's `git describe`, refreshed at every build; every run records it.
#ifndef DYSCO_VERSION_H
#define DYSCO_VERSION_H

namespace dysco
{
const char* GitDescribe();
}

#endif
