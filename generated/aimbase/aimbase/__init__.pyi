"""What type checkers see of aimbase: __init__.py loads these names lazily."""

from .client import AimbaseClient as AimbaseClient
from .client import AsyncAimbaseClient as AsyncAimbaseClient
from .client import AsyncBrandCollection as AsyncBrandCollection
from .client import AsyncBrandItem as AsyncBrandItem
from .client import AsyncBrandsEntitySet as AsyncBrandsEntitySet
from .client import AsyncCompaniesEntitySet as AsyncCompaniesEntitySet
from .client import AsyncCompanyCollection as AsyncCompanyCollection
from .client import AsyncCompanyItem as AsyncCompanyItem
from .client import AsyncDealerCollection as AsyncDealerCollection
from .client import AsyncDealerItem as AsyncDealerItem
from .client import AsyncDealersEntitySet as AsyncDealersEntitySet
from .client import AsyncLeadCollection as AsyncLeadCollection
from .client import AsyncLeadItem as AsyncLeadItem
from .client import AsyncLeadsEntitySet as AsyncLeadsEntitySet
from .client import AsyncProductCategoriesEntitySet as AsyncProductCategoriesEntitySet
from .client import AsyncProductCategoryCollection as AsyncProductCategoryCollection
from .client import AsyncProductCategoryItem as AsyncProductCategoryItem
from .client import AsyncProductCollection as AsyncProductCollection
from .client import AsyncProductItem as AsyncProductItem
from .client import AsyncProductsEntitySet as AsyncProductsEntitySet
from .client import AsyncProspectCollection as AsyncProspectCollection
from .client import AsyncProspectItem as AsyncProspectItem
from .client import AsyncProspectsEntitySet as AsyncProspectsEntitySet
from .models.brand import Brand as Brand
from .client import BrandCollection as BrandCollection
from .client import BrandItem as BrandItem
from .client import BrandsEntitySet as BrandsEntitySet
from .client import CompaniesEntitySet as CompaniesEntitySet
from .models.company import Company as Company
from .client import CompanyCollection as CompanyCollection
from .client import CompanyItem as CompanyItem
from .models.customs import Customs as Customs
from .models.dealer import Dealer as Dealer
from .client import DealerCollection as DealerCollection
from .client import DealerItem as DealerItem
from .client import DealersEntitySet as DealersEntitySet
from .models.lead import Lead as Lead
from .client import LeadCollection as LeadCollection
from .client import LeadItem as LeadItem
from .client import LeadsEntitySet as LeadsEntitySet
from .models.metadata import Metadata as Metadata
from .models.product import Product as Product
from .client import ProductCategoriesEntitySet as ProductCategoriesEntitySet
from .models.product_category import ProductCategory as ProductCategory
from .client import ProductCategoryCollection as ProductCategoryCollection
from .client import ProductCategoryItem as ProductCategoryItem
from .client import ProductCollection as ProductCollection
from .client import ProductItem as ProductItem
from .client import ProductsEntitySet as ProductsEntitySet
from .models.prospect import Prospect as Prospect
from .client import ProspectCollection as ProspectCollection
from .client import ProspectItem as ProspectItem
from .client import ProspectsEntitySet as ProspectsEntitySet
from .models.brand import QBrand as QBrand
from .models.company import QCompany as QCompany
from .models.customs import QCustoms as QCustoms
from .models.dealer import QDealer as QDealer
from .models.lead import QLead as QLead
from .models.metadata import QMetadata as QMetadata
from .models.product import QProduct as QProduct
from .models.product_category import QProductCategory as QProductCategory
from .models.prospect import QProspect as QProspect
from codegen.runtime import AuthenticationError as AuthenticationError
from codegen.runtime import AvalaApiAuth as AvalaApiAuth
from codegen.runtime import AvalaApiLogin as AvalaApiLogin
from codegen.runtime import BadRequestError as BadRequestError
from codegen.runtime import BearerAuth as BearerAuth
from codegen.runtime import ClientValidationError as ClientValidationError
from codegen.runtime import ConflictError as ConflictError
from codegen.runtime import DeadlineExceededError as DeadlineExceededError
from codegen.runtime import DeserializationError as DeserializationError
from codegen.runtime import ForbiddenError as ForbiddenError
from codegen.runtime import HTTPError as HTTPError
from codegen.runtime import HeaderAuth as HeaderAuth
from codegen.runtime import MalformedResponseError as MalformedResponseError
from codegen.runtime import NotFoundError as NotFoundError
from codegen.runtime import ODataError as ODataError
from codegen.runtime import PagingError as PagingError
from codegen.runtime import PreconditionFailedError as PreconditionFailedError
from codegen.runtime import RateLimitedError as RateLimitedError
from codegen.runtime import RequestTimeoutError as RequestTimeoutError
from codegen.runtime import ResponseDeserializationError as ResponseDeserializationError
from codegen.runtime import ResponseTooLargeError as ResponseTooLargeError
from codegen.runtime import RetryPolicy as RetryPolicy
from codegen.runtime import ServerError as ServerError
from codegen.runtime import TransportError as TransportError
from codegen.runtime import UNSET as UNSET
from codegen.runtime import UnsafeRedirectError as UnsafeRedirectError
from codegen.runtime import Unset as Unset
from codegen.runtime import structure as structure
from codegen.runtime import unstructure as unstructure
from codegen.runtime.query import Query as Query
from codegen.runtime.query import asc as asc
from codegen.runtime.query import desc as desc
from codegen.runtime.query import expand as expand

__generator_version__: str
__all__ = [
    "AimbaseClient",
    "AsyncAimbaseClient",
    "AsyncBrandCollection",
    "AsyncBrandItem",
    "AsyncBrandsEntitySet",
    "AsyncCompaniesEntitySet",
    "AsyncCompanyCollection",
    "AsyncCompanyItem",
    "AsyncDealerCollection",
    "AsyncDealerItem",
    "AsyncDealersEntitySet",
    "AsyncLeadCollection",
    "AsyncLeadItem",
    "AsyncLeadsEntitySet",
    "AsyncProductCategoriesEntitySet",
    "AsyncProductCategoryCollection",
    "AsyncProductCategoryItem",
    "AsyncProductCollection",
    "AsyncProductItem",
    "AsyncProductsEntitySet",
    "AsyncProspectCollection",
    "AsyncProspectItem",
    "AsyncProspectsEntitySet",
    "Brand",
    "BrandCollection",
    "BrandItem",
    "BrandsEntitySet",
    "CompaniesEntitySet",
    "Company",
    "CompanyCollection",
    "CompanyItem",
    "Customs",
    "Dealer",
    "DealerCollection",
    "DealerItem",
    "DealersEntitySet",
    "Lead",
    "LeadCollection",
    "LeadItem",
    "LeadsEntitySet",
    "Metadata",
    "Product",
    "ProductCategoriesEntitySet",
    "ProductCategory",
    "ProductCategoryCollection",
    "ProductCategoryItem",
    "ProductCollection",
    "ProductItem",
    "ProductsEntitySet",
    "Prospect",
    "ProspectCollection",
    "ProspectItem",
    "ProspectsEntitySet",
    "QBrand",
    "QCompany",
    "QCustoms",
    "QDealer",
    "QLead",
    "QMetadata",
    "QProduct",
    "QProductCategory",
    "QProspect",
]
__odata_types__: dict[str, str]
