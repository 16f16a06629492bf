// One registration function per model family; each lives in its own file in
// this folder and appends that family's models to the catalogue.
#pragma once

#include <memory>
#include <vector>

#include "engine/model.h"

namespace qf::models {

using ModelList = std::vector<std::unique_ptr<engine::Model>>;

void RegisterWelfareModels(ModelList* out);      // welfare.cc
void RegisterFundsModels(ModelList* out);        // funds.cc
void RegisterProcurementModels(ModelList* out);  // procurement.cc
void RegisterIntegrityModels(ModelList* out);    // integrity.cc
void RegisterConductModels(ModelList* out);      // conduct.cc
void RegisterComplaintsModels(ModelList* out);   // complaints.cc
void RegisterPartyModels(ModelList* out);        // party.cc
void RegisterEnforcementModels(ModelList* out);  // enforcement.cc
void RegisterOcdsModels(ModelList* out);         // ocds.cc
void RegisterNetworkModels(ModelList* out);      // network.cc

}  // namespace qf::models
