// Family: funds. (Being written; the catalogue lists the family's models here.)
#include "models/families.h"

namespace qf::models {

void RegisterFundsModels(ModelList* /*out*/) {}

}  // namespace qf::models
