#include "kube_decode.h"
